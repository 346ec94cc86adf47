import BytebitCore

/// `PUBLISH` commands framed in the Redis protocol (RESP) by the sink itself, into one buffer per
/// tick: hiredis then copies the whole buffer once instead of formatting every command, and the
/// queue holds one buffer per tick instead of one per message. A tick longer than its buffer goes
/// on in a new segment twice its size: growing the buffer copied every command staged so far
/// (~700 instructions a book when a tick ran long), and handing it over early cost a wake-up.
struct RedisCommands {
    /// The full segments, in order, then `current`.
    private(set) var full: [RedisCommandBytes] = []
    /// The segment being written.
    private(set) var current: RedisCommandBytes
    /// The commands' length in bytes.
    private(set) var byteCount = 0
    /// A copy of the commands (for tests).
    var bytes: [UInt8] { segments.flatMap(\.array) }
    /// The commands, ready to write to the socket in order.
    var segments: [RedisCommandBytes] { full + [current] }
    /// Per message, in order: how many `PUBLISH`es (replies) it is.
    var replies: [UInt8] = []
    /// `PUBLISH`es over all messages (the replies to read).
    private(set) var replyCount = 0

    var messageCount: Int { replies.count }

    /// How often a segment grew (copying its commands): a message that does not fit starts a new one instead.
    var growths: Int { segments.reduce(0) { $0 + $1.growths } }

    init() {
        current = RedisCommandBytes(capacity: 4096)
    }

    /// An empty buffer with room for a tick like the last one.
    init(reservingBytes bytes: Int, messages: Int) {
        current = RedisCommandBytes(capacity: bytes)
        replies.reserveCapacity(messages)
    }

    /// Where `room` more bytes go: the current segment, or a new one when they do not fit.
    @inline(__always)
    private mutating func reserve(_ room: Int) -> UnsafeMutablePointer<UInt8> {
        if current.capacity - current.count < room {
            if current.count > 0 { full.append(current) }
            current = RedisCommandBytes(capacity: max(room, current.capacity * 2))
        }
        return current.reserve(room)
    }

    /// `*3\r\n$7\r\nPUBLISH\r\n$<n>\r\n<channel>\r\n$`: a command up to its payload's length.
    static func prefix(channel: String) -> [UInt8] {
        Array("*3\r\n$7\r\nPUBLISH\r\n$\(channel.utf8.count)\r\n\(channel)\r\n$".utf8)
    }

    /// One message published on each of `channels` (its length's digits written once).
    /// Room for every command is made at once and filled with pointer copies: appending the
    /// pieces one by one (two prefixes, digits, the payload twice) cost ~1.1k instructions a
    /// message, and zero-filling an array's room first still ~450. The message is written once
    /// for all of a market's outputs (`SharedLiveMessage`) and copied here.
    mutating func append(_ payload: UnsafeBufferPointer<UInt8>, channels: RedisChannels) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            let digitCount = DecimalDigits.write(UInt64(payload.count), to: digits.baseAddress.unsafelyUnwrapped)
            let room = channels.prefixBytes + channels.count * (digitCount + 2 + payload.count + 2)
            var writer = CommandWriter(cursor: reserve(room))
            let lengthText = UnsafeBufferPointer(rebasing: digits[..<digitCount])
            for index in 0..<channels.count {
                writer.putHead(channels.prefix(index), length: lengthText)
                writer.put(payload)
                writer.putLineEnd()
            }
            current.commit(room)
            byteCount += room
        }
        replies.append(UInt8(channels.count))
        replyCount += channels.count
    }

    /// `append` on the channels of `prefixes` (commands up to their payload's length).
    mutating func append(_ payload: UnsafeBufferPointer<UInt8>, prefixes: [[UInt8]]) {
        append(payload, channels: RedisChannels(prefixes: prefixes))
    }

    /// `append` of a payload in an array (an event's, a candle's).
    mutating func append(_ payload: [UInt8], prefixes: [[UInt8]]) {
        payload.withUnsafeBufferPointer { append($0, channels: RedisChannels(prefixes: prefixes)) }
    }
}

/// Writes commands at a cursor (a struct of its own: nested functions capturing a `var` cursor
/// cost a boxed variable and its exclusivity checks, ~300 instructions a command).
private struct CommandWriter {
    var cursor: UnsafeMutablePointer<UInt8>

    @inline(__always)
    mutating func put(_ piece: UnsafeBufferPointer<UInt8>) {
        if let base = piece.baseAddress { cursor.update(from: base, count: piece.count) }
        cursor += piece.count
    }

    @inline(__always)
    mutating func putLineEnd() {
        cursor[0] = 13
        cursor[1] = 10
        cursor += 2
    }

    /// `prefix` (the command up to its payload's length), the length's digits (byte by byte: a
    /// few, not worth a memcpy call), CR LF.
    @inline(__always)
    mutating func putHead(_ prefix: UnsafeBufferPointer<UInt8>, length: UnsafeBufferPointer<UInt8>) {
        put(prefix)
        for index in 0..<length.count { cursor[index] = length[index] }
        cursor += length.count
        putLineEnd()
    }
}
