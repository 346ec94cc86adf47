import BytebitCore

/// `PUBLISH` commands framed in the Redis protocol (RESP) by the sink itself, into one buffer per
/// tick: hiredis then copies the whole buffer once instead of formatting every command, and the
/// queue holds one buffer per tick instead of one per message.
struct RedisCommands {
    /// The commands, ready to write to the socket.
    let buffer: RedisCommandBytes
    /// The commands' length in bytes.
    var byteCount: Int { buffer.count }
    /// A copy of the commands (for tests).
    var bytes: [UInt8] { buffer.array }
    /// Per message, in order: how many `PUBLISH`es (replies) it is.
    var replies: [UInt8] = []
    /// `PUBLISH`es over all messages (the replies to read).
    private(set) var replyCount = 0

    var messageCount: Int { replies.count }

    init() {
        buffer = RedisCommandBytes(capacity: 4096)
    }

    /// An empty buffer with room for a tick like the last one (so it does not grow, copying, as
    /// the tick's messages come).
    init(reservingBytes bytes: Int, messages: Int) {
        buffer = RedisCommandBytes(capacity: bytes)
        replies.reserveCapacity(messages)
    }

    /// `*3\r\n$7\r\nPUBLISH\r\n$<n>\r\n<channel>\r\n$`: a command up to its payload's length.
    static func prefix(channel: String) -> [UInt8] {
        Array("*3\r\n$7\r\nPUBLISH\r\n$\(channel.utf8.count)\r\n\(channel)\r\n$".utf8)
    }

    /// One message published on each of `prefixes`' channels (its length's digits written once).
    /// Room for every command is made at once and filled with pointer copies: appending the
    /// pieces one by one (two prefixes, digits, the payload twice) cost ~1.1k instructions a
    /// message, and zero-filling an array's room first still ~450.
    mutating func append(_ payload: [UInt8], prefixes: [[UInt8]]) {
        let length = ExactDecimal(units: Int64(payload.count), scale: 0)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length.maximumTextLength) { digits in
            let digitCount = length.writeText(to: digits.baseAddress.unsafelyUnwrapped)
            var room = 0
            for prefix in prefixes { room += prefix.count + digitCount + 2 + payload.count + 2 }
            var cursor = buffer.reserve(room)
            payload.withUnsafeBufferPointer { payload in
                func put(_ piece: UnsafeBufferPointer<UInt8>) {
                    if let base = piece.baseAddress { cursor.update(from: base, count: piece.count) }
                    cursor += piece.count
                }
                func putLineEnd() {
                    cursor[0] = 13
                    cursor[1] = 10
                    cursor += 2
                }
                for prefix in prefixes {
                    prefix.withUnsafeBufferPointer { put($0) }
                    put(UnsafeBufferPointer(rebasing: digits[..<digitCount]))
                    putLineEnd()
                    put(payload)
                    putLineEnd()
                }
            }
            buffer.commit(room)
        }
        replies.append(UInt8(prefixes.count))
        replyCount += prefixes.count
    }
}
