import Testing

@testable import BytebitCore

@Suite struct FeedResyncTests {
    @Test func mismatchResubscribesExactlyOnceAndNeverMerges() {
        var feed = FeedHarness()
        feed.goLive()
        let mismatch = feed.send(.bookChecksumMismatch(expected: 3_310_070_434, computed: 12))
        #expect(mismatch.eventNames == [.checksumMismatch])
        #expect(mismatch.detail(of: .checksumMismatch) == "expected 3310070434, computed 12")
        #expect(mismatch.contains(.resetBook))
        #expect(mismatch.requests.map(\.method) == ["unsubscribe"])
        #expect(mismatch.requests.first?.channel == "book")
        #expect(!feed.machine.isBookWritable)
        #expect(!feed.machine.acceptsBookMessages, "updates in flight must not be merged into a reset book")

        // Further mismatching updates in flight change nothing.
        #expect(feed.send(.bookChecksumMismatch(expected: 5, computed: 6)).isEmpty)
        #expect(feed.send(.bookVerified(isSnapshot: true)).isEmpty)

        let resubscribe = feed.send(.unsubscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        #expect(resubscribe.eventNames == [.resync])
        #expect(resubscribe.requests.map(\.method) == ["subscribe"])
        #expect(resubscribe.requests.first?.channel == "book")
        #expect(resubscribe.requests.first?.snapshot == true)
        #expect(feed.machine.acceptsBookMessages)
        #expect(!feed.machine.isBookWritable)

        // A repeated ack does not subscribe a second time.
        #expect(feed.send(.unsubscribeAcknowledged(channel: .book, symbol: "BTC/USD")).isEmpty)
        #expect(feed.send(.subscribeAcknowledged(channel: .book, symbol: "BTC/USD")).eventNames == [.subscribed])
        #expect(feed.send(.bookVerified(isSnapshot: true)).eventNames == [.snapshot])
        #expect(feed.machine.isBookWritable)
        #expect(feed.machine.status.checksumFailureCount == 1)
    }

    /// A lost book message need not show in a later checksum: a malformed frame while the book is
    /// live is itself the gap, and resyncs the book like a mismatch.
    @Test func aMalformedFrameWhileLiveOpensAGapAndResyncs() {
        var feed = FeedHarness()
        feed.goLive()
        let actions = feed.send(.malformedFrame(reason: "frame truncated at byte 90"))
        #expect(actions.eventNames == [.malformedFrame])
        #expect(actions.detail(of: .malformedFrame)?.contains("frame truncated at byte 90") == true)
        #expect(actions.contains(.resetBook))
        #expect(actions.requests.map(\.method) == ["unsubscribe"])
        #expect(!feed.machine.isBookWritable)
        #expect(LedgerEvent.malformedFrame.gapRole == .opens)
        #expect(LedgerEvent.malformedFrame.logLevel == .warning)
        // Further frames in flight (malformed or mismatching) start no second resync.
        #expect(feed.send(.malformedFrame(reason: "not JSON")).isEmpty)
        let resubscribe = feed.send(.unsubscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        #expect(resubscribe.eventNames == [.resync])
        #expect(resubscribe.detail(of: .resync)?.contains("malformed frame") == true)
        #expect(feed.machine.status.malformedFrameCount == 2)
        #expect(feed.machine.status.checksumFailureCount == 0)
    }

    /// Before the snapshot nothing is written yet, and a lost snapshot is the snapshot deadline's.
    @Test func aMalformedFrameBeforeTheSnapshotIsOnlyCounted() {
        var feed = FeedHarness()
        feed.send(.start)
        feed.send(.connected)
        feed.send(.subscribeAcknowledged(channel: .instrument, symbol: nil))
        feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        feed.send(.subscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        #expect(feed.send(.malformedFrame(reason: "not JSON")).isEmpty)
        #expect(feed.machine.status.malformedFrameCount == 1)
    }

    @Test func gapEventsComeInLedgerOrder() {
        var feed = FeedHarness()
        feed.goLive()
        var actions = feed.send(.bookChecksumMismatch(expected: 1, computed: 2))
        actions += feed.send(.unsubscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        actions += feed.send(.subscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        actions += feed.send(.bookVerified(isSnapshot: true))
        #expect(actions.eventNames == [.checksumMismatch, .resync, .subscribed, .snapshot])
    }

    @Test func unansweredUnsubscribeResubscribesAfterTheTimeout() {
        var feed = FeedHarness()
        feed.goLive()
        feed.send(.bookChecksumMismatch(expected: 1, computed: 2))
        #expect(feed.tick(afterMilliseconds: 4_999).requests.isEmpty)
        feed.send(.messageReceived)
        let retry = feed.tick(afterMilliseconds: 1)
        #expect(retry.eventNames == [.resync])
        #expect(retry.requests.map(\.method) == ["subscribe"])
        #expect(feed.tick(afterMilliseconds: 1_000).requests.isEmpty)
        // A late ack for the old unsubscribe does not subscribe again.
        #expect(feed.send(.unsubscribeAcknowledged(channel: .book, symbol: "BTC/USD")).isEmpty)
    }

    @Test func unsubscribeRejectionStillResubscribes() {
        var feed = FeedHarness()
        feed.goLive()
        feed.send(.bookChecksumMismatch(expected: 1, computed: 2))
        let retry = feed.send(.unsubscribeRejected(channel: .book, symbol: "BTC/USD", error: "Subscription Not Found"))
        #expect(retry.requests.map(\.method) == ["subscribe"])
    }

    /// Three mismatches right after fresh snapshots within five minutes trip the breaker.
    @Test func breakerStopsResubscribingThenReconnectsAfterTheCoolDown() {
        var feed = FeedHarness()
        feed.goLive()
        for _ in 0..<2 {
            feed.advance(milliseconds: 30_000)
            feed.send(.bookChecksumMismatch(expected: 1, computed: 2))
            feed.send(.unsubscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
            feed.send(.subscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
            feed.send(.bookVerified(isSnapshot: true))
            #expect(feed.machine.isBookWritable)
        }
        feed.advance(milliseconds: 30_000)
        let tripped = feed.send(.bookChecksumMismatch(expected: 1, computed: 2))
        #expect(tripped.eventNames == [.checksumMismatch, .resync])
        #expect(tripped.detail(of: .resync)?.contains("breaker") == true)
        #expect(tripped.requests.map(\.method) == ["unsubscribe"])
        #expect(feed.machine.status.stateName == "cooling_down")
        #expect(feed.send(.unsubscribeAcknowledged(channel: .book, symbol: "BTC/USD")).isEmpty, "no resubscribe")
        #expect(feed.send(.bookChecksumMismatch(expected: 1, computed: 2)).isEmpty)
        #expect(!feed.machine.isBookWritable)

        // Keep the connection otherwise healthy through the cool-down.
        var during: [FeedAction] = []
        for _ in 0..<59 {
            feed.advance(milliseconds: 1_000)
            feed.send(.messageReceived)
            feed.send(.pongReceived)
            during += feed.send(.tick)
        }
        #expect(during.disconnects == 0)
        #expect(!during.requests.contains { $0.method == "subscribe" })
        feed.advance(milliseconds: 1_000)
        let reconnect = feed.send(.tick)
        #expect(reconnect.disconnects == 1)
        #expect(reconnect.eventNames == [.disconnected])
        #expect(feed.machine.status.checksumFailureCount == 3)
    }

    @Test func mismatchesFarApartDoNotTripTheBreaker() {
        var feed = FeedHarness()
        feed.goLive()
        for _ in 0..<4 {
            feed.advance(milliseconds: 200_000)
            let actions = feed.send(.bookChecksumMismatch(expected: 1, computed: 2))
            #expect(actions.detail(of: .resync) == nil)
            feed.send(.unsubscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
            feed.send(.bookVerified(isSnapshot: true))
        }
        #expect(feed.machine.isBookWritable)
    }

    @Test(arguments: [FeedChannel.book, .trade])
    func unsupportedPairExits78AndNeverRetries(channel: FeedChannel) {
        var feed = FeedHarness()
        feed.send(.start)
        feed.send(.connected)
        let subscribed = feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        let requestID = subscribed.requests.first { $0.channel == channel.rawValue }?.requestID
        // Kraken's error frame has no result object: only the echoed req_id tells the channel.
        let actions = feed.send(
            .subscribeRejected(
                channel: nil, symbol: "BTC/USD", error: "Currency pair not supported BTC/USD", requestID: requestID))
        #expect(actions.eventNames == [.rejected, .stopped])
        #expect(actions.detail(of: .rejected)?.contains("Currency pair not supported BTC/USD") == true)
        #expect(actions.disconnects == 1)
        #expect(actions.last == .exit(code: 78))
        for _ in 0..<10 {
            #expect(feed.tick(afterMilliseconds: 60_000).isEmpty)
        }
    }

    @Test func pairAbsentFromTheInstrumentSnapshotExits78WithoutSubscribing() {
        var feed = FeedHarness()
        let actions = feed.goLive(instrument: false)
        #expect(actions.last == .exit(code: 78))
        #expect(actions.requests.map(\.channel) == ["instrument"])
        #expect(actions.eventNames == [.connected, .rejected, .stopped])
        #expect(feed.tick(afterMilliseconds: 60_000).isEmpty)
    }

    @Test func rateLimitedSubscriptionBacksOffDoublingThenResubscribes() {
        var feed = FeedHarness()
        feed.send(.start)
        feed.send(.connected)
        let subscribed = feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        let tradeID = subscribed.requests.first { $0.channel == "trade" }?.requestID
        let first = feed.send(
            .subscribeRejected(channel: nil, symbol: "BTC/USD", error: "Exceeded msg rate", requestID: tradeID))
        #expect(first.eventNames == [.rejected])
        #expect(first.detail(of: .rejected)?.contains("Exceeded msg rate") == true)
        #expect(first.detail(of: .rejected)?.contains("5.000 s") == true)
        #expect(first.disconnects == 0)
        feed.send(.subscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        feed.send(.bookVerified(isSnapshot: true))
        #expect(feed.machine.isBookWritable, "the book is not affected by the trade rejection")

        feed.send(.messageReceived)
        #expect(feed.tick(afterMilliseconds: 4_999).requests.isEmpty)
        let retry = feed.tick(afterMilliseconds: 1)
        #expect(retry.requests.map(\.channel) == ["trade"])
        let second = feed.send(
            .subscribeRejected(channel: .trade, symbol: "BTC/USD", error: "Exceeded msg rate", requestID: nil))
        #expect(second.detail(of: .rejected)?.contains("10.000 s") == true)
        feed.send(.messageReceived)
        #expect(feed.tick(afterMilliseconds: 9_999).requests.isEmpty)
        feed.advance(milliseconds: 1)
        feed.send(.messageReceived)
        #expect(feed.send(.tick).requests.map(\.channel) == ["trade"])
    }

    @Test func alreadySubscribedTradesCountAsSubscribed() {
        var feed = FeedHarness()
        feed.send(.start)
        feed.send(.connected)
        feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        let actions = feed.send(
            .subscribeRejected(channel: .trade, symbol: "BTC/USD", error: "Already subscribed", requestID: nil))
        #expect(actions.eventNames == [.rejected, .subscribed])
        #expect(actions.disconnects == 0)
        #expect(feed.machine.session?.channels[.trade] == .live)
    }

    @Test func alreadySubscribedBookReconnectsForAFreshSnapshot() {
        var feed = FeedHarness()
        feed.send(.start)
        feed.send(.connected)
        feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        let actions = feed.send(
            .subscribeRejected(channel: .book, symbol: "BTC/USD", error: "Already subscribed", requestID: nil))
        #expect(actions.eventNames == [.rejected, .disconnected])
        #expect(actions.disconnects == 1)
        #expect(feed.reconnectDue != nil)
    }

    @Test func maintenanceMakesTheBookUnwritableAndOnlineResubscribes() {
        var feed = FeedHarness()
        feed.goLive()
        let maintenance = feed.send(.statusReceived(system: "maintenance"))
        #expect(maintenance.eventNames == [.maintenance])
        #expect(maintenance.detail(of: .maintenance)?.contains("maintenance") == true)
        #expect(!feed.machine.isBookWritable)
        #expect(feed.machine.status.stateName == "maintenance")
        #expect(feed.send(.statusReceived(system: "maintenance")).isEmpty, "a repeated status is not a new event")
        #expect(
            feed.send(.statusReceived(system: "limit_only")).eventNames == [.maintenance], "unknown values accepted")
        feed.send(.bookVerified(isSnapshot: false))
        #expect(!feed.machine.isBookWritable)

        let online = feed.send(.statusReceived(system: "online"))
        #expect(online.eventNames == [.maintenance])
        #expect(online.contains(.resetBook))
        #expect(online.requests.map(\.method) == ["unsubscribe"])
        #expect(!feed.machine.isBookWritable)
        #expect(feed.send(.unsubscribeAcknowledged(channel: .book, symbol: "BTC/USD")).eventNames == [.resync])
        #expect(feed.send(.bookVerified(isSnapshot: true)).eventNames == [.snapshot])
        #expect(feed.machine.isBookWritable)
    }

    @Test func reconnectsDuringMaintenanceAreAtLeastFiveSecondsApart() throws {
        var feed = FeedHarness()
        feed.send(.start)
        feed.send(.connected)
        feed.send(.statusReceived(system: "maintenance"))
        var attemptTimes: [Int64] = [feed.now.microseconds]
        for _ in 0..<4 {
            feed.send(.connectionEnded(reason: "closed by server"))
            let due = try #require(feed.reconnectDue)
            #expect(feed.tick(at: UTCTimestamp(microsecondsSince1970: due.microseconds - 1)).isEmpty)
            #expect(feed.tick(at: due) == [.connect])
            attemptTimes.append(feed.now.microseconds)
            feed.send(.connected)
        }
        for (earlier, later) in zip(attemptTimes, attemptTimes.dropFirst()) {
            #expect(later - earlier >= 5_000_000)
        }
    }
}

extension FeedResyncTests {
    @Test func rejectionWithoutChannelOrRequestIDConcernsTheUnansweredSubscriptions() {
        var feed = FeedHarness()
        feed.send(.start)
        feed.send(.connected)
        feed.send(.subscribeAcknowledged(channel: .instrument, symbol: nil))
        feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        feed.send(.subscribeAcknowledged(channel: .trade, symbol: "BTC/USD"))
        let actions = feed.send(.subscribeRejected(channel: nil, symbol: nil, error: "Exceeded msg rate", requestID: nil))
        #expect(actions.eventNames == [.rejected])
        #expect(actions.detail(of: .rejected)?.hasPrefix("book BTC/USD: Exceeded msg rate") == true)
        #expect(feed.machine.session?.channels[.trade] == .live)
        #expect(feed.machine.status.stateName == "backing_off")
    }
}
