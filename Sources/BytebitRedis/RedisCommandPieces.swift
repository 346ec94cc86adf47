import CHiredis

/// What a tick's `RedisCommands` write besides their segments' bytes: the wire as pieces (`iovec`s,
/// for one `sendmsg` of many), and per message how many `PUBLISH`es (replies) it is. A message
/// published on two channels is in a segment once: the second command's payload is a piece that
/// points at the first one's (copying it again cost ~190 instructions a message). Kept in buffers
/// of its own written through pointers (an array's `append` checks its uniqueness per call), and
/// reused from tick to tick with the commands (`RedisCommands.reset`). Read by one thread at a time.
final class RedisCommandPieces: @unchecked Sendable {
    private(set) var pieces: UnsafeMutablePointer<iovec>
    private(set) var pieceCount = 0
    private var pieceCapacity: Int
    /// Per message, in order: how many `PUBLISH`es (replies) it is.
    private(set) var replies: UnsafeMutablePointer<UInt8>
    private(set) var messageCount = 0
    private var replyCapacity: Int

    init(messages: Int) {
        replyCapacity = max(messages, 16)
        pieceCapacity = 2 * replyCapacity + 2
        replies = .allocate(capacity: replyCapacity)
        pieces = .allocate(capacity: pieceCapacity)
    }

    deinit {
        replies.deallocate()
        pieces.deallocate()
    }

    /// The wire's next piece: `length` bytes at `start` (in a segment that outlives the pieces).
    @inline(__always)
    func append(piece start: UnsafeMutablePointer<UInt8>, length: Int) {
        if pieceCount == pieceCapacity { growPieces() }
        pieces[pieceCount] = iovec(iov_base: UnsafeMutableRawPointer(start), iov_len: length)
        pieceCount += 1
    }

    /// The next message, `replyCount` `PUBLISH`es.
    @inline(__always)
    func append(replies replyCount: Int) {
        if messageCount == replyCapacity { growReplies() }
        replies[messageCount] = UInt8(truncatingIfNeeded: replyCount)
        messageCount += 1
    }

    /// Empty, keeping the buffers.
    func removeAll() {
        pieceCount = 0
        messageCount = 0
    }

    private func growPieces() {
        let grown = UnsafeMutablePointer<iovec>.allocate(capacity: pieceCapacity * 2)
        grown.update(from: pieces, count: pieceCount)
        pieces.deallocate()
        pieces = grown
        pieceCapacity *= 2
    }

    private func growReplies() {
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: replyCapacity * 2)
        grown.update(from: replies, count: messageCount)
        replies.deallocate()
        replies = grown
        replyCapacity *= 2
    }
}
