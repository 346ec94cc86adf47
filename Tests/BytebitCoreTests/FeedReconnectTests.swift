import Testing

@testable import BytebitCore

@Suite struct FeedReconnectTests {
    /// Fails `count` connection attempts in a row, the first ones of an outage; returns each wait
    /// (µs) before the next attempt.
    static func waitsAfterFailures(_ feed: inout FeedHarness, count: Int) throws -> [Int64] {
        var waits: [Int64] = []
        for attempt in 0..<count {
            let ended = feed.send(.connectionEnded(reason: "connection refused"))
            #expect(ended.eventNames == (attempt == 0 ? [.disconnected] : []), "one ledger row per outage")
            let due = try #require(feed.reconnectDue)
            waits.append(due.microseconds - feed.now.microseconds)
            #expect(feed.tick(at: UTCTimestamp(microsecondsSince1970: due.microseconds - 1)).isEmpty)
            #expect(feed.tick(at: due) == [.connect])
        }
        return waits
    }

    @Test(arguments: [UInt64(1), 7, 2026])
    func backoffFollowsKrakensScheduleWithBoundedJitter(seed: UInt64) throws {
        var feed = FeedHarness(seed: seed)
        feed.send(.start)
        let waits = try Self.waitsAfterFailures(&feed, count: 8)
        let bases: [Int64] = [1, 2, 5, 8, 16, 30, 30, 30].map { $0 * 1_000_000 }
        for (wait, base) in zip(waits, bases) {
            #expect(wait >= base && wait <= base + 750_000, "wait \(wait) µs for base \(base) µs")
        }
        let jitters = zip(waits, bases).map { $0 - $1 }
        #expect(Set(jitters).count > 1, "jitter varies between attempts")
    }

    @Test func jitterIsDeterministicForASeed() throws {
        var first = FeedHarness(seed: 99)
        var second = FeedHarness(seed: 99)
        first.send(.start)
        second.send(.start)
        #expect(try Self.waitsAfterFailures(&first, count: 5) == Self.waitsAfterFailures(&second, count: 5))
    }

    @Test func backoffResetsAfterAThirtySecondLiveSession() throws {
        let wait = try Self.reconnectWaitAfterFailuresThenALiveSession(ofMilliseconds: 30_000)
        #expect(wait >= 1_000_000 && wait <= 1_750_000)
    }

    @Test func shortSessionsKeepBackingOff() throws {
        let wait = try Self.reconnectWaitAfterFailuresThenALiveSession(ofMilliseconds: 29_000)
        // 29 s is not stable: this is the fifth attempt in a row (2^4 s = 16 s).
        #expect(wait >= 16_000_000 && wait <= 16_750_000)
    }

    /// Four failed attempts, then a session live for `milliseconds` that ends: the wait before the
    /// next attempt, in microseconds.
    static func reconnectWaitAfterFailuresThenALiveSession(ofMilliseconds milliseconds: Int64) throws -> Int64 {
        var feed = FeedHarness()
        feed.send(.start)
        _ = try waitsAfterFailures(&feed, count: 4)
        feed.send(.connected)
        feed.send(.subscribeAcknowledged(channel: .instrument, symbol: nil))
        feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        feed.send(.bookVerified(isSnapshot: true))
        feed.advance(milliseconds: milliseconds)
        feed.send(.connectionEnded(reason: "closed"))
        return try #require(feed.reconnectDue).microseconds - feed.now.microseconds
    }

    @Test func disconnectEventCarriesTheReason() {
        var feed = FeedHarness()
        feed.goLive()
        let ended = feed.send(.connectionEnded(reason: "close code 1006"))
        #expect(ended.detail(of: .disconnected)?.hasPrefix("close code 1006; reconnecting in 1.") == true)
        #expect(ended.disconnects == 0, "the socket is already gone")
        #expect(ended.contains(.resetBook))
        #expect(!feed.machine.isBookWritable)
    }

    @Test func reconnectResubscribesEverythingAndWaitsForAFreshSnapshot() throws {
        var feed = FeedHarness()
        feed.goLive()
        feed.send(.connectionEnded(reason: "closed"))
        feed.tick(at: try #require(feed.reconnectDue))
        let reopened = feed.send(.connected)
        #expect(reopened.requests.map(\.channel) == ["instrument"])
        #expect(!feed.machine.isBookWritable)
        let subscriptions = feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        #expect(subscriptions.requests.map(\.channel) == ["book", "trade"])
        #expect(!feed.machine.isBookWritable)
        #expect(feed.send(.bookVerified(isSnapshot: true)).eventNames == [.snapshot])
        #expect(feed.machine.isBookWritable)
    }

    /// The budget caps attempts per rolling window; with Kraken's schedule it binds only when
    /// sessions keep resetting the backoff, so a small budget exercises it here.
    @Test func connectionBudgetWaitsForTheOldestAttemptToLeaveTheWindow() throws {
        var policy = FeedPolicy()
        policy.connectionBudget = 3
        policy.connectionBudgetWindow = .seconds(600)
        var feed = FeedHarness(FeedConfiguration(symbol: "BTC/USD", policy: policy))
        feed.send(.start)
        let firstAttempt = feed.now
        _ = try Self.waitsAfterFailures(&feed, count: 2)
        feed.send(.connectionEnded(reason: "refused"))
        let due = try #require(feed.reconnectDue)
        #expect(feed.tick(at: due).isEmpty, "budget used up")
        let freed = try #require(feed.reconnectDue)
        #expect(freed.microseconds == firstAttempt.microseconds + 600_000_000)
        #expect(feed.tick(at: UTCTimestamp(microsecondsSince1970: freed.microseconds - 1)).isEmpty)
        #expect(feed.tick(at: freed) == [.connect])
    }

    @Test func defaultBudgetAllowsAtMost120AttemptsPer600Seconds() {
        var budget = ConnectionBudget(limit: FeedPolicy().connectionBudget, window: FeedPolicy().connectionBudgetWindow)
        var now = FeedHarness.start
        var attempts: [UTCTimestamp] = []
        // Try every 100 ms for 20 minutes: the budget decides which attempts happen.
        for _ in 0..<12_000 {
            if budget.earliestAttempt(atOrAfter: now) <= now {
                budget.record(now)
                attempts.append(now)
            }
            now = UTCTimestamp(microsecondsSince1970: now.microseconds + 100_000)
        }
        #expect(attempts.count == 240)
        for (index, attempt) in attempts.enumerated() where index >= 120 {
            #expect(attempt.microseconds - attempts[index - 120].microseconds >= 600_000_000)
        }
    }

    @Test(arguments: [
        (1, Int64(1_000_000)), (2, 2_000_000), (3, 5_000_000), (4, 8_000_000), (5, 16_000_000),
        (6, 30_000_000), (40, 30_000_000),
    ])
    func baseDelays(attempt: Int, microseconds: Int64) {
        #expect(ReconnectBackoff.baseDelayMicroseconds(attempt: attempt) == microseconds)
    }
}
