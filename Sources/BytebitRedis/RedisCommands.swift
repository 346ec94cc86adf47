import BytebitCore
import CHiredis

/// `PUBLISH` commands framed in the Redis protocol (RESP) by the sink itself, into one buffer per
/// tick: the publisher then writes the whole tick with few system calls instead of formatting every
/// command, and the queue holds one buffer per tick instead of one per message. A tick longer than
/// its buffer goes on in a new segment twice its size: growing the buffer copied every command
/// staged so far (~700 instructions a book when a tick ran long), and handing it over early cost a
/// wake-up.
///
/// A message on two channels is written into the segment once: the wire is a list of pieces
/// (`RedisCommandPieces`) in which the second command's payload points at the first one's, and the
/// publisher hands them to one `sendmsg` (the kernel copies the bytes to the socket either way).
///
/// A class: a tick's commands go from the sink to the publisher's queue and batch and back to a
/// sink (`RedisPublisher.offer`, `recycle`), each move one reference (a struct of several was
/// copied and destroyed field by field, ~30 instructions a message). Written by one thread at a
/// time: the sink until it offers them, the publisher until it gives them back, under its lock.
final class RedisCommands: @unchecked Sendable {
    /// The full segments, in order, then `current`.
    private(set) var full: [RedisCommandBytes] = []
    /// The segment being written.
    private(set) var current: RedisCommandBytes
    /// The wire's pieces up to `openPieceStart` of `current`, and the messages' reply counts.
    let pieces: RedisCommandPieces
    /// Where the wire's piece being written starts in `current` (it ends at `current.count`).
    private var openPieceStart = 0
    /// The commands' length in bytes on the wire.
    private(set) var byteCount = 0
    /// The bytes written into the segments (each payload once).
    private(set) var storedBytes = 0
    /// `PUBLISH`es over all messages (the replies to read).
    private(set) var replyCount = 0

    /// Bytes of a channel's prefix slot copied with one fixed-size copy (longer slots: `memcpy`).
    static let fixedPrefixBytes = 64
    /// Bytes a command's pieces may write past their end (the fixed-size prefix copy, the length's
    /// eight-byte store), overwritten by the next command or never sent.
    static let slackBytes = fixedPrefixBytes + 8

    var messageCount: Int { pieces.messageCount }

    /// Per message, in order: how many `PUBLISH`es (replies) it is.
    var replies: [UInt8] { Array(UnsafeBufferPointer(start: pieces.replies, count: pieces.messageCount)) }

    /// The segments in order (for tests).
    var segments: [RedisCommandBytes] { full + [current] }

    /// The bytes on the wire, in order (for tests).
    var bytes: [UInt8] {
        var bytes: [UInt8] = []
        for index in 0..<pieces.pieceCount {
            let piece = pieces.pieces[index]
            bytes += UnsafeRawBufferPointer(start: piece.iov_base, count: piece.iov_len)
        }
        return bytes + UnsafeBufferPointer(start: current.base + openPieceStart, count: current.count - openPieceStart)
    }

    /// How often a segment grew (copying its commands): a message that does not fit starts a new one instead.
    var growths: Int { segments.reduce(0) { $0 + $1.growths } }

    convenience init() {
        self.init(reservingBytes: 4096, messages: 16)
    }

    /// An empty buffer with room for a tick like the last one.
    init(reservingBytes bytes: Int, messages: Int) {
        current = RedisCommandBytes(capacity: bytes)
        pieces = RedisCommandPieces(messages: messages)
    }

    /// The segment's capacity (of the largest segment, after `reset`).
    var capacity: Int { current.capacity }

    /// Empty again for another tick, keeping the largest segment and the pieces' buffers (the
    /// publisher gives written commands back to the sinks: `RedisPublisher.offer`).
    func reset() {
        if let largest = full.max(by: { $0.capacity < $1.capacity }), largest.capacity > current.capacity {
            current = largest
        }
        full.removeAll()
        current.clear()
        pieces.removeAll()
        openPieceStart = 0
        byteCount = 0
        storedBytes = 0
        replyCount = 0
    }

    /// Ends the wire's open piece: call before the commands are written (the publisher writes
    /// `pieces` only).
    func seal() {
        closeOpenPiece()
    }

    @inline(__always)
    private func closeOpenPiece() {
        if current.count > openPieceStart {
            pieces.append(piece: current.base + openPieceStart, length: current.count - openPieceStart)
            openPieceStart = current.count
        }
    }

    /// Where `room` more bytes (and `slackBytes` past them) go: the current segment, or a new one
    /// when they do not fit.
    @inline(__always)
    private func reserve(_ room: Int) -> UnsafeMutablePointer<UInt8> {
        let needed = room + Self.slackBytes
        if current.capacity - current.count < needed {
            closeOpenPiece()
            if current.count > 0 { full.append(current) }
            current = RedisCommandBytes(capacity: max(needed, current.capacity * 2))
            openPieceStart = 0
        }
        return current.reserve(needed)
    }

    /// `*3\r\n$7\r\nPUBLISH\r\n$<n>\r\n<channel>\r\n$`: a command up to its payload's length.
    static func prefix(channel: String) -> [UInt8] {
        Array("*3\r\n$7\r\nPUBLISH\r\n$\(channel.utf8.count)\r\n\(channel)\r\n$".utf8)
    }

    /// One message published on each of `channels`: the first command with the payload, every
    /// further one up to its payload, which is a piece pointing at the first one's. The length's
    /// digits are written once and stored as one word per command, each prefix is one fixed-size
    /// copy of its slot. The message is written once for all of a market's outputs
    /// (`SharedLiveMessage`) and copied here once.
    func append(_ payload: UnsafeBufferPointer<UInt8>, channels: RedisChannels) {
        guard let length = Self.lengthWord(payload.count), channels.slotBytes <= Self.fixedPrefixBytes else {
            return appendLong(payload, channels: channels)
        }
        let (lengthWord, lengthCount) = length
        let stored = channels.prefixBytes + channels.count * (lengthCount + 2) + payload.count
        var cursor = reserve(stored)
        let start = cursor
        for index in 0..<channels.count {
            UnsafeMutableRawPointer(cursor).copyMemory(from: channels.slot(index), byteCount: Self.fixedPrefixBytes)
            cursor += channels.prefixLength(index)
            UnsafeMutableRawPointer(cursor).storeBytes(of: lengthWord.littleEndian, as: UInt64.self)
            cursor += lengthCount
            if index == 0 {
                if let base = payload.baseAddress { UnsafeMutableRawPointer(cursor).copyMemory(from: base, byteCount: payload.count) }
                cursor += payload.count
            } else {
                // The payload again, as a piece of the first command's.
                let openStart = current.base + openPieceStart
                pieces.append(piece: openStart, length: cursor - openStart)
                pieces.append(piece: start + channels.prefixLength(0) + lengthCount, length: payload.count)
                openPieceStart = cursor - current.base
            }
            cursor[0] = 13
            cursor[1] = 10
            cursor += 2
        }
        commit(stored, wire: stored + (channels.count - 1) * payload.count, replies: channels.count)
    }

    /// The length's digits and CR LF as the bytes of one word (stored per command), and how many
    /// bytes that is; nil for a payload of a megabyte or more. Digits from the last, two at a time:
    /// each goes in front of the ones already there (the word is stored little-endian).
    /// `DecimalDigits.write` from here is a call across modules (~75 instructions a message).
    @inline(__always)
    static func lengthWord(_ length: Int) -> (word: UInt64, count: Int)? {
        guard length >= 0, length < 1_000_000 else { return nil }
        @inline(__always) func digit(_ value: Int) -> UInt64 { UInt64(truncatingIfNeeded: 48 &+ value) }
        var word: UInt64 = 0x0A0D
        var remaining = length
        var count = 2
        while remaining >= 100 {
            let quotient = remaining / 100
            let pair = remaining &- quotient &* 100
            let tens = pair / 10
            word = word << 16 | digit(tens) | digit(pair &- tens &* 10) << 8
            remaining = quotient
            count &+= 2
        }
        if remaining >= 10 {
            let tens = remaining / 10
            return (word << 16 | digit(tens) | digit(remaining &- tens &* 10) << 8, count &+ 2)
        }
        return (word << 8 | digit(remaining), count &+ 1)
    }

    /// `append` of a payload of a megabyte or more, or on channels with long names: every command
    /// written out in full.
    private func appendLong(_ payload: UnsafeBufferPointer<UInt8>, channels: RedisChannels) {
        let lengthText = Array("\(payload.count)\r\n".utf8)
        let room = channels.prefixBytes + channels.count * (lengthText.count + payload.count + 2)
        var cursor = reserve(room)
        func put(_ bytes: UnsafeBufferPointer<UInt8>) {
            if let base = bytes.baseAddress { cursor.update(from: base, count: bytes.count) }
            cursor += bytes.count
        }
        for index in 0..<channels.count {
            put(channels.prefix(index))
            lengthText.withUnsafeBufferPointer { put($0) }
            put(payload)
            cursor[0] = 13
            cursor[1] = 10
            cursor += 2
        }
        commit(room, wire: room, replies: channels.count)
    }

    @inline(__always)
    private func commit(_ stored: Int, wire: Int, replies: Int) {
        current.commit(stored)
        storedBytes += stored
        byteCount += wire
        replyCount += replies
        pieces.append(replies: replies)
    }

    /// `append` on the channels of `prefixes` (commands up to their payload's length).
    func append(_ payload: UnsafeBufferPointer<UInt8>, prefixes: [[UInt8]]) {
        append(payload, channels: RedisChannels(prefixes: prefixes))
    }

    /// `append` of a payload in an array (an event's, a candle's).
    func append(_ payload: [UInt8], prefixes: [[UInt8]]) {
        payload.withUnsafeBufferPointer { append($0, channels: RedisChannels(prefixes: prefixes)) }
    }
}
