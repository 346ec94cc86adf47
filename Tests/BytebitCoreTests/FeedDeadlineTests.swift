import Testing

@testable import BytebitCore

@Suite struct FeedDeadlineTests {
    /// A tick just before `nextDeadline` changes nothing; a tick at it does something.
    static func expectDeadlineIsExact(
        _ feed: FeedHarness, _ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let deadline = feed.machine.nextDeadline else {
            Issue.record("no deadline: \(comment)", sourceLocation: sourceLocation)
            return
        }
        #expect(deadline > feed.now, comment, sourceLocation: sourceLocation)
        var early = feed
        let before = early.tick(at: UTCTimestamp(microsecondsSince1970: deadline.microseconds - 1))
        #expect(before.isEmpty, comment, sourceLocation: sourceLocation)
        var onTime = feed
        #expect(!onTime.tick(at: deadline).isEmpty, comment, sourceLocation: sourceLocation)
    }

    @Test func everyTimerIsReportedAsTheNextDeadline() {
        var feed = FeedHarness()
        #expect(feed.machine.nextDeadline == nil, "not started")
        feed.send(.start)
        #expect(feed.machine.nextDeadline == nil, "connecting: the transport's connect deadline ends the attempt")
        feed.send(.connected)
        Self.expectDeadlineIsExact(feed, "instrument snapshot deadline")
        feed.advance(milliseconds: 3_000)
        feed.send(.subscribeAcknowledged(channel: .instrument, symbol: nil))
        feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        Self.expectDeadlineIsExact(feed, "stale or snapshot deadline")
        feed.send(.subscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        feed.send(.subscribeAcknowledged(channel: .trade, symbol: "BTC/USD"))
        feed.send(.bookVerified(isSnapshot: true))
        Self.expectDeadlineIsExact(feed, "stale deadline when live")
        for _ in 0..<16 {
            feed.advance(milliseconds: 1_000)
            feed.send(.messageReceived)
        }
        Self.expectDeadlineIsExact(feed, "ping due")
        feed.send(.tick)
        feed.send(.bookChecksumMismatch(expected: 1, computed: 2))
        Self.expectDeadlineIsExact(feed, "pong or unsubscribe timeout")
        feed.send(.pongReceived)
        feed.send(.connectionEnded(reason: "closed"))
        Self.expectDeadlineIsExact(feed, "reconnect")
        feed.send(.stopRequested)
        #expect(feed.machine.nextDeadline == nil, "stopped")
    }

    @Test func rejectionBackOffIsADeadline() {
        var feed = FeedHarness()
        feed.goLive()
        feed.send(.bookChecksumMismatch(expected: 1, computed: 2))
        feed.send(.unsubscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        feed.send(.subscribeRejected(channel: .book, symbol: "BTC/USD", error: "Exceeded msg rate", requestID: nil))
        #expect(feed.machine.nextDeadline.map { $0.microseconds - feed.now.microseconds } == 5_000_000)
        Self.expectDeadlineIsExact(feed, "book back-off")
    }

    @Test func snapshotDuringMaintenanceIsNotAnInSyncMarker() {
        var feed = FeedHarness()
        feed.send(.start)
        feed.send(.connected)
        feed.send(.statusReceived(system: "maintenance"))
        feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        #expect(feed.send(.bookVerified(isSnapshot: true)).isEmpty)
        #expect(!feed.machine.isBookWritable)
        let online = feed.send(.statusReceived(system: "online"))
        #expect(online.requests.map(\.method) == ["unsubscribe"])
        feed.send(.unsubscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        #expect(feed.send(.bookVerified(isSnapshot: true)).eventNames == [.snapshot])
        #expect(feed.machine.isBookWritable)
    }
}
