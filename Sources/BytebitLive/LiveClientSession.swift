/// One feed client's state: what it subscribed to, the latest unsent book per pair, and the trades
/// and events it has not been sent yet, in order. Used under the hub's lock only.
///
/// Ordering: trades and events go out in the order they came; a pair's book goes out at most every
/// `bookInterval` (the newest one then). An event drops the pair's unsent book, so a client never
/// gets a book from before a `checksum_mismatch` after it, and the new snapshot's books follow the event.
final class LiveClientSession {
    let id: UInt64
    let peer: String
    var subscription: LiveSubscription?
    private(set) var pendingBooks: [String: [UInt8]] = [:]
    private var lastBookSentAt: [String: Int64] = [:]
    private var ordered: [[UInt8]] = []
    private var orderedHead = 0
    private(set) var orderedBytes = 0

    init(id: UInt64, peer: String) {
        self.id = id
        self.peer = peer
    }

    enum Offer: Equatable {
        case notWanted
        case queued
        /// The client is too far behind: it must go.
        case overLimit
    }

    /// A message the hub publishes; `bytes` is the whole JSON object.
    func offer(
        _ envelope: LiveEnvelope, bytes: [UInt8], limits: LiveClientLimits, counters: inout LiveFeedCounters
    ) -> Offer {
        guard let subscription, subscription.wants(envelope) else {
            if envelope.channel == .event { dropPendingBook(of: envelope.pair, counters: &counters) }
            return .notWanted
        }
        switch envelope.channel {
        case .book:
            if pendingBooks.updateValue(bytes, forKey: envelope.pair) != nil { counters.booksConflated += 1 }
            return .queued
        case .event, .trade, .kline:
            if envelope.channel == .event { dropPendingBook(of: envelope.pair, counters: &counters) }
            guard orderedBytes + bytes.count <= limits.maximumQueuedBytes else { return .overLimit }
            ordered.append(bytes)
            orderedBytes += bytes.count
            return .queued
        }
    }

    /// A message of the feed's own (acknowledgement, error) goes out in order too; never over the limit.
    func queueReply(_ bytes: [UInt8]) {
        ordered.append(bytes)
        orderedBytes += bytes.count
    }

    private func dropPendingBook(of pair: String, counters: inout LiveFeedCounters) {
        if pendingBooks.removeValue(forKey: pair) != nil { counters.booksConflated += 1 }
    }

    /// What may go out now: every queued trade/event, then each pair's book whose interval has passed.
    func takeDue(now: Int64, limits: LiveClientLimits) -> [[UInt8]] {
        var batch = Array(ordered[orderedHead...])
        ordered.removeAll(keepingCapacity: ordered.capacity <= 1024)
        orderedHead = 0
        orderedBytes = 0
        for (pair, book) in pendingBooks {
            if let last = lastBookSentAt[pair], now - last < limits.bookInterval { continue }
            batch.append(book)
            lastBookSentAt[pair] = now
            pendingBooks[pair] = nil
        }
        return batch
    }

    /// A book is waiting for its interval (the tick should ask for another writable call).
    var hasPendingBooks: Bool { !pendingBooks.isEmpty }

    /// Messages that were queued for it and will never go out (it is being disconnected).
    var undelivered: Int { ordered.count - orderedHead + pendingBooks.count }
}
