import Testing

@testable import BytebitCore

/// Kraken's candles to rows: the last version of an interval, once it has ended; never a partial
/// candle, never a duplicate row (SPEC §10).
@Suite struct OHLCCandleKeeperTests {
    static let minute: Int64 = 60_000_000
    static let t0 = UTCTimestamp(microsecondsSince1970: 1_795_262_400_000_000)  // 2026-11-21T12:00:00Z

    static func at(_ microseconds: Int64) -> UTCTimestamp {
        UTCTimestamp(microsecondsSince1970: t0.microseconds + microseconds)
    }

    /// Version `trades` of the candle of minute `index`: its close and count grow with each version.
    static func candle(minute index: Int64, trades: UInt64) -> KrakenCandle {
        let close = ExactDecimal(units: 1_000 + Int64(trades), scale: 1)
        return KrakenCandle(
            symbol: "BTC/USD", intervalMinutes: 1, intervalBegin: at(index * minute),
            open: ExactDecimal(units: 1_000, scale: 1), high: close, low: ExactDecimal(units: 1_000, scale: 1),
            close: close, volume: ExactDecimal(units: Int64(trades), scale: 8), vwap: close, trades: trades)
    }

    static func written(_ outcomes: [OHLCCandleKeeper.Outcome]) -> [KrakenCandle] {
        outcomes.compactMap { if case .write(let candle) = $0 { candle } else { nil } }
    }

    @Test func onlyTheLastVersionOnceALaterIntervalBegins() {
        var keeper = OHLCCandleKeeper(interval: .oneMinute)
        #expect(keeper.receive([Self.candle(minute: 0, trades: 1)], now: Self.at(1_000_000)).isEmpty)
        #expect(keeper.receive([Self.candle(minute: 0, trades: 2)], now: Self.at(20_000_000)).isEmpty)
        #expect(keeper.receive([Self.candle(minute: 0, trades: 3)], now: Self.at(59_000_000)).isEmpty)
        let outcomes = keeper.receive([Self.candle(minute: 1, trades: 1)], now: Self.at(61_000_000))
        #expect(Self.written(outcomes) == [Self.candle(minute: 0, trades: 3)])
        #expect(keeper.lastWrittenBegin == Self.at(0))
    }

    @Test func aQuietIntervalIsWrittenOnceItsEndAndTheGraceHavePassed() throws {
        var keeper = OHLCCandleKeeper(interval: .oneMinute)
        _ = keeper.receive([Self.candle(minute: 0, trades: 4)], now: Self.at(30_000_000))
        let due = try #require(keeper.nextDeadline)
        #expect(due == Self.at(Self.minute + OHLCCandleKeeper.grace.microseconds))
        #expect(keeper.tick(now: Self.at(Self.minute)).isEmpty, "ended, but the last update may still come")
        #expect(keeper.tick(now: UTCTimestamp(microsecondsSince1970: due.microseconds - 1)).isEmpty)
        #expect(Self.written(keeper.tick(now: due)) == [Self.candle(minute: 0, trades: 4)])
        #expect(keeper.nextDeadline == nil)
        // A late version of a written interval is ignored, not a second row.
        #expect(keeper.receive([Self.candle(minute: 0, trades: 5)], now: Self.at(70_000_000)).isEmpty)
        #expect(keeper.lateVersions == 1)
    }

    @Test func aResubscribeSnapshotRepeatingAWrittenCandleAddsNoRow() {
        var keeper = OHLCCandleKeeper(interval: .oneMinute)
        var rows: [KrakenCandle] = []
        // The first snapshot: the previous (ended) candle and the open one.
        rows += Self.written(keeper.receive(
            [Self.candle(minute: 0, trades: 7), Self.candle(minute: 1, trades: 2)], now: Self.at(80_000_000)))
        #expect(rows == [Self.candle(minute: 0, trades: 7)], "a snapshot's previous candle is final")
        rows += Self.written(keeper.receive([Self.candle(minute: 2, trades: 1)], now: Self.at(121_000_000)))
        // Resubscribed (no gap): the snapshot repeats minute 1 (already written) and minute 2.
        rows += Self.written(keeper.receive(
            [Self.candle(minute: 1, trades: 2), Self.candle(minute: 2, trades: 3)], now: Self.at(130_000_000)))
        rows += Self.written(keeper.tick(now: Self.at(3 * Self.minute + 5_000_000)))
        #expect(rows.map(\.intervalBegin) == [Self.at(0), Self.at(Self.minute), Self.at(2 * Self.minute)])
        #expect(rows.last == Self.candle(minute: 2, trades: 3))
    }

    @Test func aRestartContinuesAfterTheFilesNewestRow() {
        var keeper = OHLCCandleKeeper(interval: .oneMinute, lastWrittenBegin: Self.at(Self.minute))
        let outcomes = keeper.receive(
            [Self.candle(minute: 1, trades: 9), Self.candle(minute: 2, trades: 1)], now: Self.at(125_000_000))
        #expect(outcomes.isEmpty)
        #expect(keeper.held == Self.candle(minute: 2, trades: 1))
    }

    @Test func aGapHoldsTheOpenCandleUntilKrakensSnapshotBringsItsLastVersion() {
        var keeper = OHLCCandleKeeper(interval: .oneMinute)
        _ = keeper.receive([Self.candle(minute: 0, trades: 2)], now: Self.at(10_000_000))
        keeper.connectionLost()
        #expect(keeper.nextDeadline == nil)
        #expect(keeper.tick(now: Self.at(10 * Self.minute)).isEmpty, "never the stale version by the clock")
        // Reconnected in minute 1: the snapshot holds minute 0's final version and minute 1.
        let outcomes = keeper.receive(
            [Self.candle(minute: 0, trades: 6), Self.candle(minute: 1, trades: 1)], now: Self.at(75_000_000))
        #expect(Self.written(outcomes) == [Self.candle(minute: 0, trades: 6)])
    }

    @Test func aGapWhoseCandleKrakenDoesNotResendDropsItAndSaysSo() {
        var keeper = OHLCCandleKeeper(interval: .oneMinute)
        _ = keeper.receive([Self.candle(minute: 0, trades: 2)], now: Self.at(10_000_000))
        keeper.connectionLost()
        // Back three minutes later: the snapshot starts after minute 0.
        let outcomes = keeper.receive(
            [Self.candle(minute: 2, trades: 4), Self.candle(minute: 3, trades: 1)], now: Self.at(185_000_000))
        #expect(outcomes == [.dropped(intervalBegin: Self.at(0)), .write(Self.candle(minute: 2, trades: 4))])
        #expect(keeper.held == Self.candle(minute: 3, trades: 1))
        #expect(keeper.isHeldConfirmed)
    }

    @Test func anUpdateOfTheHeldIntervalAfterAGapConfirmsIt() {
        var keeper = OHLCCandleKeeper(interval: .fiveMinutes)
        _ = keeper.receive([Self.candle(minute: 0, trades: 2)], now: Self.at(10_000_000))
        keeper.connectionLost()
        _ = keeper.receive([Self.candle(minute: 0, trades: 5)], now: Self.at(70_000_000))
        #expect(keeper.isHeldConfirmed)
        #expect(keeper.nextDeadline == Self.at(5 * Self.minute + OHLCCandleKeeper.grace.microseconds))
    }
}
