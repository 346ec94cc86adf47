import Logging
import Testing

@testable import BytebitCore

@Suite struct LedgerEventTests {
    @Test func namesAreSpecSection4_3() {
        #expect(
            LedgerEvent.allCases.map(\.name) == [
                "started", "connected", "write_failed", "subscribed", "snapshot", "checksum_mismatch", "resync",
                "disconnected", "stale", "rejected", "maintenance", "trade_gap", "delisted", "ohlc_gap", "stopped",
            ])
        #expect(LedgerEvent(rawValue: "write_failed") == .writeFailed)
        #expect(LedgerEvent(rawValue: "ticker_gap") == nil, "a name from a newer version is not guessed")
    }

    /// SPEC §4.3: a gap runs from checksum_mismatch, disconnected, stale, maintenance, write_failed,
    /// stopped (or a started after an unclean end) to the next snapshot.
    @Test func gapRolesFollowTheSpec() {
        #expect(
            LedgerEvent.gapOpeningNames
                == ["checksum_mismatch", "disconnected", "stale", "maintenance", "write_failed", "stopped", "started"])
        #expect(LedgerEvent.allCases.filter { $0.gapRole == .closes } == [.snapshot])
        #expect(LedgerEvent.started.gapRole == .opensAfterEarlierEvents)
        #expect(!LedgerEvent.started.gapRole.opensGap(afterEarlierEvents: false), "the first start loses nothing")
        #expect(LedgerEvent.started.gapRole.opensGap(afterEarlierEvents: true))
        #expect(LedgerEvent.maintenance.gapRole.opensGap(afterEarlierEvents: false))
        #expect(!LedgerEvent.tradeGap.gapRole.canOpenGap, "lost trades do not make the book untrustworthy")
    }

    @Test func lostOrRefusedDataIsLoggedAsAWarning() {
        let warnings = LedgerEvent.allCases.filter { $0.logLevel == .warning }
        #expect(warnings == [.writeFailed, .checksumMismatch, .rejected, .tradeGap, .delisted, .ohlcGap])
        #expect(LedgerEvent.allCases.allSatisfy { $0.logLevel == .warning || $0.logLevel == .info })
    }

    /// The rows the feed writes for an outage with failed attempts make exactly one gap, from the
    /// `disconnected` row to the fresh snapshot.
    @Test func anOutageWithFailedAttemptsIsOneGapInTheLedger() throws {
        var feed = FeedHarness()
        var rows = feed.goLive().eventNames
        rows += feed.send(.connectionEnded(reason: "closed"))
            .eventNames
        for _ in 0..<4 {
            feed.tick(at: try #require(feed.reconnectDue))
            rows += feed.send(.connectionEnded(reason: "connection refused")).eventNames
        }
        feed.tick(at: try #require(feed.reconnectDue))
        rows += feed.goLiveOnOpenConnection().eventNames
        var gaps: [(opened: LedgerEvent, closed: Bool)] = []
        for (index, event) in rows.enumerated() {
            if event.gapRole == .closes, let last = gaps.last, !last.closed {
                gaps[gaps.count - 1].closed = true
            } else if event.gapRole.opensGap(afterEarlierEvents: index > 0), gaps.last?.closed ?? true {
                gaps.append((event, false))
            }
        }
        #expect(gaps.map(\.opened) == [.disconnected])
        #expect(gaps.allSatisfy { $0.closed })
        #expect(rows.filter { $0 == .disconnected }.count == 1)
    }
}

extension FeedHarness {
    /// `connected` → instrument → acks → snapshot, for an attempt already under way.
    @discardableResult
    mutating func goLiveOnOpenConnection() -> [FeedAction] {
        var actions = send(.connected)
        actions += send(.subscribeAcknowledged(channel: .instrument, symbol: nil))
        actions += send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        actions += send(.subscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        actions += send(.subscribeAcknowledged(channel: .trade, symbol: "BTC/USD"))
        actions += send(.bookVerified(isSnapshot: true))
        return actions
    }
}
