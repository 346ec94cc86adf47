import Logging
import Testing

@testable import BytebitCore

/// Issue 9: an outage is one ledger gap, its failed attempts are counted in the status, and
/// connection trouble that lasts is a warning.
@Suite struct FeedOutageTests {
    /// Ends the pending attempt with `reason` and ticks to the next one; returns the ending's actions.
    static func failAttempt(_ feed: inout FeedHarness, reason: String = "connection refused") throws -> [FeedAction] {
        let ended = feed.send(.connectionEnded(reason: reason))
        feed.tick(at: try #require(feed.reconnectDue))
        return ended
    }

    @Test func failedAttemptsAfterADropAddNoLedgerRowsAndTheConnectedRowSaysWhatItTook() throws {
        var feed = FeedHarness()
        feed.goLive()
        let dropped = feed.send(.connectionEnded(reason: "close code 1006"))
        let outageStart = feed.now
        #expect(dropped.eventNames == [.disconnected])
        feed.tick(at: try #require(feed.reconnectDue))
        var rows: [LedgerEvent] = []
        for _ in 0..<3 {
            rows += try Self.failAttempt(&feed).eventNames
        }
        #expect(rows.isEmpty, "the outage already has its disconnected row")
        let reopened = feed.send(.connected)
        let detail = try #require(reopened.detail(of: .connected))
        let took = TimeSpan(from: outageStart, to: feed.now).secondsText
        #expect(detail == "attempt 5; reconnected after 4 attempts in \(took)")
    }

    @Test func anOutageFromTheFirstAttemptIsOneGapToo() throws {
        var feed = FeedHarness()
        feed.send(.start)
        let first = try Self.failAttempt(&feed, reason: "cannot resolve ws.example")
        #expect(first.eventNames == [.disconnected])
        #expect(first.detail(of: .disconnected)?.hasPrefix("cannot resolve ws.example; reconnecting in") == true)
        let outageStart = FeedHarness.start
        #expect(try Self.failAttempt(&feed).eventNames.isEmpty)
        let detail = try #require(feed.send(.connected).detail(of: .connected))
        #expect(detail == "attempt 3; reconnected after 3 attempts in \(TimeSpan(from: outageStart, to: feed.now).secondsText)")
    }

    @Test func aConnectionWithoutAnOutageSaysOnlyItsAttempt() {
        var feed = FeedHarness()
        feed.send(.start)
        #expect(feed.send(.connected).detail(of: .connected) == "attempt 1")
    }

    @Test func theNextOutageIsANewGapWithItsOwnCount() throws {
        var feed = FeedHarness()
        feed.send(.start)
        _ = try Self.failAttempt(&feed)
        _ = try Self.failAttempt(&feed)
        feed.send(.connected)
        let dropped = try Self.failAttempt(&feed, reason: "closed")
        #expect(dropped.eventNames == [.disconnected], "a new outage opens a new gap")
        #expect(try Self.failAttempt(&feed).eventNames.isEmpty)
        #expect(feed.send(.connected).detail(of: .connected)?.contains("reconnected after 2 attempts") == true)
    }

    @Test func statusCountsFailedAttemptsInARowAndKeepsTheLastError() throws {
        var feed = FeedHarness()
        feed.send(.start)
        #expect(feed.machine.status.failedConnectionAttempts == 0)
        #expect(feed.machine.status.lastConnectionError == nil)
        for (count, reason) in ["cannot resolve ws.example", "connection refused", "TLS failure"].enumerated() {
            _ = try Self.failAttempt(&feed, reason: reason)
            #expect(feed.machine.status.failedConnectionAttempts == count + 1)
            #expect(feed.machine.status.lastConnectionError == reason)
        }
        feed.send(.connected)
        #expect(feed.machine.status.failedConnectionAttempts == 0, "an open connection ends the streak")
        #expect(feed.machine.status.lastConnectionError == "TLS failure", "the last reason stays for the operator")
        feed.send(.connectionEnded(reason: "close code 1001"))
        #expect(feed.machine.status.failedConnectionAttempts == 0, "a dropped connection is not a failed attempt")
        #expect(feed.machine.status.lastConnectionError == "close code 1001")
    }

    /// The transport owns the connect deadline; its ending is a failed attempt like any other.
    @Test func aConnectTimeoutIsAFailedAttempt() {
        var feed = FeedHarness()
        feed.send(.start)
        #expect(feed.tick(afterMilliseconds: 60_000).troubles.isEmpty, "the feed keeps no connect timer of its own")
        let timedOut = feed.send(.connectionEnded(reason: "connect timed out"))
        #expect(timedOut.troubles.map(\.reason) == ["connect timed out"])
        #expect(feed.machine.status.failedConnectionAttempts == 1)
    }

    @Test func connectionTroubleTurnsIntoAWarningFromTheThirdFailureInARow() throws {
        var feed = FeedHarness()
        feed.send(.start)
        var troubles: [ConnectionTrouble] = []
        for _ in 0..<4 {
            troubles += try Self.failAttempt(&feed).troubles
        }
        #expect(troubles.map(\.failedAttempts) == [1, 2, 3, 4])
        #expect(troubles.map(\.level) == [.info, .info, .warning, .warning])
        #expect(troubles.allSatisfy { $0.reason == "connection refused" })
        #expect(troubles[2].message.hasPrefix("cannot connect (3 attempts failed in a row): connection refused; retrying in "))
        // An open connection resets the streak: the next failure is routine again.
        feed.send(.connected)
        _ = try Self.failAttempt(&feed, reason: "closed")
        #expect(try Self.failAttempt(&feed).troubles.map(\.level) == [.info])
    }

    @Test func aDroppedConnectionReportsNoConnectionTrouble() {
        var feed = FeedHarness()
        feed.goLive()
        #expect(feed.send(.connectionEnded(reason: "close code 1006")).troubles.isEmpty)
    }

    @Test func theTroubleReportCarriesTheWaitBeforeTheNextAttempt() throws {
        var feed = FeedHarness()
        feed.send(.start)
        let trouble = try #require(feed.send(.connectionEnded(reason: "refused")).troubles.first)
        let due = try #require(feed.reconnectDue)
        #expect(trouble.retryIn == TimeSpan(from: feed.now, to: due))
    }

    @Test func theWarningThresholdIsAPolicy() throws {
        var policy = FeedPolicy()
        policy.connectionWarningAfterFailures = 1
        var feed = FeedHarness(FeedConfiguration(symbol: "BTC/USD", policy: policy))
        feed.send(.start)
        #expect(try Self.failAttempt(&feed).troubles.map(\.level) == [.warning])
        policy.connectionWarningAfterFailures = 0
        #expect(throws: FeedError.self) { try policy.validate() }
    }
}

extension Array where Element == FeedAction {
    var troubles: [ConnectionTrouble] {
        compactMap { if case .reportConnectionTrouble(let trouble) = $0 { return trouble } else { return nil } }
    }
}
