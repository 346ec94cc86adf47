import Testing

@testable import BytebitCore

@Suite struct FeedKeepAliveTests {
    @Test func staleAfterTheDeadlineAndNotBefore() {
        var feed = FeedHarness()
        feed.goLive()
        for _ in 0..<30 {
            feed.advance(milliseconds: 1_000)
            feed.send(.messageReceived)
            feed.send(.pongReceived)
            #expect(feed.send(.tick).disconnects == 0)
        }
        #expect(feed.tick(afterMilliseconds: 9_999).disconnects == 0)
        #expect(feed.machine.isBookWritable)
        let stale = feed.tick(afterMilliseconds: 1)
        #expect(stale.eventNames == [.stale, .disconnected])
        #expect(stale.detail(of: .stale)?.contains("no message for 10.000 s") == true)
        #expect(stale.disconnects == 1)
        #expect(stale.contains(.resetBook))
        #expect(!feed.machine.isBookWritable)
        #expect(feed.reconnectDue != nil)
    }

    @Test func staleDeadlineIsConfigurable() {
        var policy = FeedPolicy()
        policy.staleAfter = .seconds(5)
        var feed = FeedHarness(FeedConfiguration(symbol: "BTC/USD", policy: policy))
        feed.goLive()
        #expect(feed.tick(afterMilliseconds: 4_999).disconnects == 0)
        #expect(feed.tick(afterMilliseconds: 1).eventNames == [.stale, .disconnected])
    }

    @Test func noStaleBeforeAnySubscriptionIsActive() {
        var feed = FeedHarness()
        feed.send(.start)
        feed.send(.connected)
        // Heartbeats only flow once a subscription exists; before that only the ping guards.
        feed.advance(milliseconds: 12_000)
        #expect(feed.send(.tick).disconnects == 0)
    }

    @Test func pingsEveryTwentySecondsFromConnect() {
        var feed = FeedHarness()
        feed.goLive()
        var pingTimes: [Int64] = []
        var pingIDs: [Int] = []
        for _ in 0..<65 {
            feed.advance(milliseconds: 1_000)
            feed.send(.messageReceived)
            let pings = feed.send(.tick).requests.filter { $0.method == "ping" }
            if !pings.isEmpty {
                pingTimes.append((feed.now.microseconds - FeedHarness.start.microseconds) / 1_000_000)
                pingIDs += pings.map(\.requestID)
                feed.send(.pongReceived)
            }
        }
        #expect(pingTimes == [20, 40, 60])
        #expect(pingIDs == pingIDs.sorted() && Set(pingIDs).count == 3)
    }

    @Test func unansweredPingIsStaleAfterTenSeconds() {
        var feed = FeedHarness()
        feed.goLive()
        var firstPingAt: UTCTimestamp?
        var disconnectedAt: UTCTimestamp?
        for _ in 0..<40 {
            feed.advance(milliseconds: 1_000)
            feed.send(.messageReceived)
            let actions = feed.send(.tick)
            if firstPingAt == nil, !actions.requests.filter({ $0.method == "ping" }).isEmpty {
                firstPingAt = feed.now
            }
            if actions.disconnects > 0 {
                disconnectedAt = feed.now
                #expect(actions.detail(of: .stale)?.contains("no pong") == true)
                break
            }
        }
        let sent = firstPingAt?.microseconds ?? 0
        #expect(disconnectedAt.map { $0.microseconds - sent } == 10_000_000)
    }

    @Test func pongKeepsTheConnection() {
        var feed = FeedHarness()
        feed.goLive()
        for _ in 0..<120 {
            feed.advance(milliseconds: 1_000)
            feed.send(.messageReceived)
            let actions = feed.send(.tick)
            #expect(actions.disconnects == 0)
            if actions.requests.contains(where: { $0.method == "ping" }) {
                feed.send(.pongReceived)
            }
        }
        #expect(feed.machine.isBookWritable)
    }

    @Test func missingBookSnapshotAfterSubscribingIsStale() {
        var feed = FeedHarness()
        feed.send(.start)
        feed.send(.connected)
        feed.send(.subscribeAcknowledged(channel: .instrument, symbol: nil))
        feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        feed.send(.subscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        feed.send(.subscribeAcknowledged(channel: .trade, symbol: "BTC/USD"))
        var actions: [FeedAction] = []
        for _ in 0..<14 {
            feed.advance(milliseconds: 1_000)
            feed.send(.messageReceived)
            actions += feed.send(.tick)
        }
        #expect(actions.disconnects == 0)
        feed.advance(milliseconds: 1_000)
        feed.send(.messageReceived)
        let stale = feed.send(.tick)
        #expect(stale.eventNames == [.stale, .disconnected])
        #expect(stale.detail(of: .stale)?.contains("no book snapshot") == true)
    }

    @Test func missingInstrumentSnapshotIsStale() {
        var feed = FeedHarness()
        feed.send(.start)
        feed.send(.connected)
        feed.send(.subscribeAcknowledged(channel: .instrument, symbol: nil))
        feed.advance(milliseconds: 8_000)
        feed.send(.messageReceived)
        #expect(feed.send(.tick).disconnects == 0)
        feed.advance(milliseconds: 7_000)
        feed.send(.messageReceived)
        let stale = feed.send(.tick)
        #expect(stale.detail(of: .stale)?.contains("no instrument snapshot") == true)
    }

    /// The connect deadline is the transport's alone (it can abandon a handshake step in flight):
    /// the feed keeps no second one that could fire out of step with it.
    @Test func aConnectAttemptIsEndedByTheTransportNotByAFeedTimer() {
        var feed = FeedHarness()
        feed.send(.start)
        #expect(feed.machine.nextDeadline == nil)
        #expect(feed.tick(afterMilliseconds: 60_000).isEmpty)
        let ended = feed.send(.connectionEnded(reason: "connect timeout"))
        #expect(feed.reconnectDue != nil)
        #expect(ended.detail(of: .disconnected)?.contains("connect timeout") == true)
    }
}
