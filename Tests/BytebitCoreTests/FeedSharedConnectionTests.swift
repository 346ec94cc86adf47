import Testing

@testable import BytebitCore

/// A pair's own trouble on a connection shared with other pairs is settled for that pair alone:
/// no `.disconnect`, which would cost every pair of the group a gap.
@Suite struct FeedSharedConnectionTests {
    static func sharedFeed() -> FeedHarness {
        var configuration = FeedConfiguration(symbol: "BTC/USD")
        configuration.sharesConnection = true
        return FeedHarness(configuration)
    }

    @Test func anAlreadySubscribedBookResubscribesThePairInsteadOfReconnecting() {
        var feed = Self.sharedFeed()
        feed.send(.start)
        feed.send(.connected)
        feed.send(.subscribeAcknowledged(channel: .instrument, symbol: nil))
        let subscribes = feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        let bookID = subscribes.subscriptions.first { $0.channel == .book }?.requestID
        let actions = feed.send(
            .subscribeRejected(channel: nil, symbol: "BTC/USD", error: "Already subscribed", requestID: bookID))
        #expect(actions.disconnects == 0)
        #expect(actions.eventNames == [.rejected])
        #expect(actions.subscriptions.map(\.method) == [.unsubscribe])
        #expect(actions.subscriptions.map(\.channel) == [.book])
        let again = feed.send(.unsubscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        #expect(again.subscriptions.map(\.method) == [.subscribe])
        #expect(feed.machine.stateName != "reconnecting")
    }

    @Test func aPairsBookRequestTimeoutResubscribesThatPairOnly() {
        var feed = Self.sharedFeed()
        feed.send(.start)
        feed.send(.connected)
        feed.send(.subscribeAcknowledged(channel: .instrument, symbol: nil))
        feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        feed.send(.subscribeAcknowledged(channel: .trade, symbol: "BTC/USD"))
        for _ in 0..<15 {
            feed.advance(milliseconds: 1_000)
            feed.send(.messageReceived)
        }
        let overdue = feed.send(.tick)
        #expect(overdue.disconnects == 0)
        #expect(overdue.eventNames == [.stale])
        #expect(overdue.detail(of: .stale)?.contains("no book snapshot within 15") == true)
        #expect(overdue.contains(.resetBook))
        #expect(overdue.subscriptions.map(\.method) == [.unsubscribe])
        #expect(feed.send(.tick).isEmpty, "one retry, not one per tick")
    }

    @Test func aPairsTradeRequestTimeoutSubscribesItAgainWithoutABookGap() {
        var feed = Self.sharedFeed()
        feed.send(.start)
        feed.send(.connected)
        feed.send(.subscribeAcknowledged(channel: .instrument, symbol: nil))
        feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        feed.send(.subscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        feed.send(.bookVerified(isSnapshot: true))
        feed.advance(milliseconds: 15_000)
        feed.send(.messageReceived)
        let overdue = feed.send(.tick)
        #expect(overdue.disconnects == 0)
        #expect(overdue.eventNames == [.resync], "a trade retry is no book gap")
        #expect(overdue.subscriptions.map(\.channel) == [.trade])
        #expect(feed.machine.isBookWritable)
    }

    /// The group's pacing held the request back: its deadline runs from when it went out.
    @Test func theDeadlineRunsFromWhenTheGroupSentTheRequest() {
        var feed = Self.sharedFeed()
        feed.send(.start)
        feed.send(.connected)
        feed.send(.subscribeAcknowledged(channel: .instrument, symbol: nil))
        let subscribes = feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        let queuedAt = feed.now
        feed.advance(milliseconds: 10_000)
        for request in subscribes.subscriptions { feed.machine.requestWentOut(request, at: feed.now) }
        feed.advance(milliseconds: 6_000)
        feed.send(.messageReceived)
        #expect(feed.send(.tick).eventNames.isEmpty, "16 s after queueing, 6 s after sending: not overdue")
        #expect(queuedAt < feed.now)
        feed.advance(milliseconds: 9_000)
        feed.send(.messageReceived)
        #expect(feed.send(.tick).eventNames.contains(.stale))
    }

    @Test func theBreakersCoolDownEndResubscribesTheBookOnTheSharedConnection() {
        var feed = Self.sharedFeed()
        feed.send(.start)
        feed.send(.connected)
        feed.send(.subscribeAcknowledged(channel: .instrument, symbol: nil))
        feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        feed.send(.subscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        feed.send(.subscribeAcknowledged(channel: .trade, symbol: "BTC/USD"))
        feed.send(.bookVerified(isSnapshot: true))
        var tripped: [FeedAction] = []
        for _ in 0..<3 {
            tripped = feed.send(.bookChecksumMismatch(expected: 1, computed: 2))
            feed.send(.unsubscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
            feed.send(.subscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
            feed.send(.bookVerified(isSnapshot: true))
        }
        #expect(tripped.detail(of: .resync)?.contains("breaker") == true)
        var over: [FeedAction] = []
        for _ in 0..<61 {
            feed.advance(milliseconds: 1_000)
            feed.send(.messageReceived)
            feed.send(.pongReceived)
            over += feed.send(.tick)
        }
        #expect(over.disconnects == 0)
        #expect(over.eventNames == [.resync])
        #expect(over.subscriptions.map(\.method) == [.subscribe])
        #expect(over.subscriptions.map(\.channel) == [.book])
    }
}

extension Array where Element == FeedAction {
    /// The requests a feed on a shared connection hands to its group.
    var subscriptions: [FeedSubscription] {
        compactMap { if case .subscription(let request) = $0 { return request } else { return nil } }
    }
}

/// One market alone on its connection: a delisting while it records is a `delisted` row and a stop.
@Suite struct FeedDelistingTests {
    @Test func aDelistingWhileRecordingWritesDelistedAndStopsWith78() {
        var feed = FeedHarness()
        feed.goLive()
        let actions = feed.send(.instrumentReceived(pairListed: false, pricePrecision: 1, qtyPrecision: 8))
        #expect(actions.eventNames == [.delisted, .stopped])
        #expect(actions.disconnects == 1)
        #expect(actions.last == .exit(code: 78))
    }

    @Test func aPairAbsentFromTheFirstSnapshotIsStillRejected() {
        var feed = FeedHarness()
        let actions = feed.goLive(instrument: false)
        #expect(actions.eventNames.contains(.rejected))
        #expect(!actions.eventNames.contains(.delisted))
    }
}
