import BytebitCore
@testable import BytebitLive
import Testing

/// The per-client rules: the latest book per pair at most every 50 ms, trades and events in order,
/// an event before any later book of its pair, and a bound on what a slow client holds.
@Suite struct LiveClientSessionTests {
    let limits = LiveClientLimits(bookInterval: 50_000, maximumQueuedBytes: 2_000)
    let all = LiveSubscription(pairs: nil, channels: Set(LiveChannel.allCases))

    func offer(_ session: LiveClientSession, _ bytes: [UInt8], counters: inout LiveFeedCounters) throws
        -> LiveClientSession.Offer
    {
        session.offer(try #require(LiveEnvelope(line: bytes)), bytes: bytes, limits: limits, counters: &counters)
    }

    @Test func booksWithinTheIntervalAreConflatedToTheLatest() throws {
        let session = LiveClientSession(id: 1, peer: "test")
        session.subscription = all
        var counters = LiveFeedCounters()
        let first = LiveMessage.book(pair: "BTC-USD", try bookTop(at: 1_000, bid: "100.0"))
        let second = LiveMessage.book(pair: "BTC-USD", try bookTop(at: 2_000, bid: "100.1"))
        let third = LiveMessage.book(pair: "BTC-USD", try bookTop(at: 3_000, bid: "100.2"))
        #expect(try offer(session, first, counters: &counters) == .queued)
        #expect(session.takeDue(now: 0, limits: limits) == [first])
        #expect(try offer(session, second, counters: &counters) == .queued)
        #expect(try offer(session, third, counters: &counters) == .queued)
        #expect(session.takeDue(now: 49_999, limits: limits).isEmpty, "a book inside 50 ms of the last")
        #expect(session.takeDue(now: 50_000, limits: limits) == [third], "the latest wins")
        #expect(counters.booksConflated == 1)
        #expect(!session.hasPendingBooks)
    }

    @Test func eachPairHasItsOwnInterval() throws {
        let session = LiveClientSession(id: 1, peer: "test")
        session.subscription = all
        var counters = LiveFeedCounters()
        let btc = LiveMessage.book(pair: "BTC-USD", try bookTop(at: 1_000))
        let eth = LiveMessage.book(pair: "ETH-USD", try bookTop(at: 1_000))
        _ = try offer(session, btc, counters: &counters)
        #expect(session.takeDue(now: 0, limits: limits) == [btc])
        _ = try offer(session, btc, counters: &counters)
        _ = try offer(session, eth, counters: &counters)
        #expect(session.takeDue(now: 10_000, limits: limits) == [eth])
    }

    @Test func tradesAndEventsGoInOrderAheadOfBooks() throws {
        let session = LiveClientSession(id: 1, peer: "test")
        session.subscription = all
        var counters = LiveFeedCounters()
        let trades = try (1...3).map { LiveMessage.trade(pair: "BTC-USD", try trade(id: $0, at: Int64($0))) }
        let book = LiveMessage.book(pair: "BTC-USD", try bookTop(at: 5))
        _ = try offer(session, trades[0], counters: &counters)
        _ = try offer(session, book, counters: &counters)
        _ = try offer(session, trades[1], counters: &counters)
        _ = try offer(session, trades[2], counters: &counters)
        #expect(session.takeDue(now: 0, limits: limits) == trades + [book])
    }

    @Test func anEventDropsTheUnsentBookOfItsPairSoTheNextBookFollowsTheEvent() throws {
        let session = LiveClientSession(id: 1, peer: "test")
        session.subscription = all
        var counters = LiveFeedCounters()
        let before = LiveMessage.book(pair: "BTC-USD", try bookTop(at: 1_000, bid: "99.0"))
        let other = LiveMessage.book(pair: "ETH-USD", try bookTop(at: 1_000))
        let mismatch = LiveMessage.event(pair: "BTC-USD", event(.checksumMismatch, at: 2_000))
        let snapshot = LiveMessage.book(pair: "BTC-USD", try bookTop(at: 3_000, bid: "101.0"))
        _ = try offer(session, before, counters: &counters)
        _ = try offer(session, other, counters: &counters)
        _ = try offer(session, mismatch, counters: &counters)
        _ = try offer(session, snapshot, counters: &counters)
        let batch = session.takeDue(now: 0, limits: limits)
        #expect(!batch.contains(before), "the book from before the mismatch is dropped")
        #expect(batch.contains(other), "another pair's book is not")
        let ordered = batch.filter { $0 != other }
        #expect(ordered == [mismatch, snapshot], "the pre-mismatch book never follows the event")
    }

    @Test func anEventOfAnUnsubscribedChannelStillDropsTheStaleBook() throws {
        let session = LiveClientSession(id: 1, peer: "test")
        session.subscription = LiveSubscription(pairs: ["BTC-USD"], channels: [.book])
        var counters = LiveFeedCounters()
        let before = LiveMessage.book(pair: "BTC-USD", try bookTop(at: 1_000))
        _ = try offer(session, before, counters: &counters)
        #expect(try offer(session, LiveMessage.event(pair: "BTC-USD", event(.disconnected, at: 2_000)), counters: &counters)
            == .notWanted)
        #expect(session.takeDue(now: 0, limits: limits).isEmpty)
    }

    @Test func aClientThatFallsBehindIsOverTheLimitAndBooksNeverCount() throws {
        let session = LiveClientSession(id: 1, peer: "test")
        session.subscription = all
        var counters = LiveFeedCounters()
        for index in 0..<1_000 {
            #expect(try offer(session, LiveMessage.book(pair: "BTC-USD", try bookTop(at: Int64(index))), counters: &counters)
                == .queued)
        }
        var results: [LiveClientSession.Offer] = []
        for id in 1...100 { results.append(try offer(session, LiveMessage.trade(pair: "BTC-USD", try trade(id: UInt64(id), at: 1)), counters: &counters)) }
        let firstOver = try #require(results.firstIndex(of: .overLimit))
        #expect(session.orderedBytes <= limits.maximumQueuedBytes)
        #expect(firstOver > 5, "trades up to the bound are queued")
        #expect(session.pendingBooks.count == 1)
    }

    @Test func aClientWithoutASubscriptionGetsNothing() throws {
        let session = LiveClientSession(id: 1, peer: "test")
        var counters = LiveFeedCounters()
        #expect(try offer(session, LiveMessage.book(pair: "BTC-USD", try bookTop(at: 1)), counters: &counters) == .notWanted)
        #expect(session.takeDue(now: 0, limits: limits).isEmpty)
    }
}
