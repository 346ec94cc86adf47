import BytebitCore
import BytebitTestSupport
import Testing

/// Ticker rows and Kraken's candles through the recorder into real files (scripted transport,
/// manual clock): exact text, the last version of each ended interval, no duplicate across a
/// resubscribe, and a refused ticker that costs the book nothing.
@Suite struct RecorderTickerAndOHLCTests {
    typealias Candle = KrakenFrameText.Candle

    static func harness() throws -> RecorderHarness {
        let harness = try RecorderHarness()
        harness.market.recordsTicker = true
        harness.market.ohlcIntervals = [.oneMinute]
        return harness
    }

    static func live(_ harness: RecorderHarness) -> [ScriptStep] {
        var book = RecorderBookRulesTests.ethBTCBook()
        let snapshot = book.snapshot(bids: RecorderBookRulesTests.bids, asks: RecorderBookRulesTests.asks)
        return harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8) + [
            .frame(KrakenFrameText.subscribed("ticker", symbol: harness.symbol)),
            .frame(KrakenFrameText.subscribedOHLC(symbol: harness.symbol, interval: 1)),
        ]
    }

    /// Version `trades` of the candle that begins at `15:MM:00`: close and count grow per version.
    static func candle(_ minute: Int, trades: Int) -> Candle {
        Candle(
            begin: "2026-08-26T15:\(minute):00.000000Z", open: "0.031340", high: "0.03135\(trades)",
            low: "0.031330", close: "0.03135\(trades)", volume: "1.2000000\(trades)", vwap: "0.0313455\(trades)",
            trades: trades)
    }

    static func row(_ candle: Candle) -> String {
        [candle.begin, candle.open, candle.high, candle.low, candle.close, candle.volume, candle.vwap, "\(candle.trades)"]
            .joined(separator: ",")
    }

    func ohlc(_ harness: RecorderHarness, snapshot: Bool, _ candles: [Candle]) -> ScriptStep {
        .frame(KrakenFrameText.ohlc(snapshot: snapshot, symbol: harness.symbol, interval: 1, candles))
    }

    @Test func tickerRowsAreEveryMessageInKrakensText() throws {
        let harness = try Self.harness()
        let ticker = { (timestamp: String?, bid: String) in
            ScriptStep.frame(KrakenFrameText.ticker(
                snapshot: timestamp != nil, symbol: harness.symbol, bid: bid, bidQty: "0.03740000", ask: "0.031357",
                askQty: "0.03740000", last: "0.031350", volume: "1204.50000000", vwap: "0.031300", low: "0.031100",
                high: "0.031400", change: "-0.000050", changePct: "-0.16", timestamp: timestamp))
        }
        let run = try harness.run([
            ScriptedConnection(Self.live(harness) + [ticker("2026-08-26T15:16:00.500000Z", "0.031348"), ticker(nil, "0.031349")])
        ])
        #expect(run.exitCode == 0)
        let subscribe = try #require(run.sentRequests.first { $0.contains(#""channel":"ticker""#) })
        #expect(subscribe.contains(#""event_trigger":"bbo""#))
        let lines = try harness.fileLines(.ticker)
        #expect(lines.first == "timestamp,received_at,bid,bid_qty,ask,ask_qty,last,volume,vwap,low,high,change,change_pct")
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 2)
        let numbers = ["0.03740000", "0.031357", "0.03740000", "0.031350", "1204.50000000", "0.031300", "0.031100",
                       "0.031400", "-0.000050", "-0.16"]
        #expect(rows.first.map { Array($0[2...]) } == ["0.031348"] + numbers)
        #expect(rows.last.map { Array($0[2...]) } == ["0.031349"] + numbers)
        #expect(rows.first?.first == "2026-08-26T15:16:00.500000Z", "Kraken's timestamp when it sends one")
        #expect(rows.last?[0] == rows.last?[1], "else the receive time")
    }

    @Test func ohlcRowsAreTheLastVersionOfEndedIntervalsWithoutDuplicates() throws {
        let harness = try Self.harness()
        let first = Self.live(harness) + [
            ohlc(harness, snapshot: true, [Self.candle(15, trades: 7), Self.candle(16, trades: 1)]),
            ohlc(harness, snapshot: false, [Self.candle(16, trades: 2)]),
        ] + RecorderHarness.quiet(seconds: 70) + [
            // 15:17:10: minute 16 was written at its end + 5 s; a late version of it changes nothing.
            ohlc(harness, snapshot: false, [Self.candle(16, trades: 3)]),
            ohlc(harness, snapshot: false, [Self.candle(17, trades: 1)]),
        ]
        // Reconnected: the snapshot repeats minute 16 (written) and brings minute 17's last version.
        let second = Self.live(harness) + [
            ohlc(harness, snapshot: true, [Self.candle(16, trades: 2), Self.candle(17, trades: 4)]),
            ohlc(harness, snapshot: false, [Self.candle(18, trades: 1)]),
        ]
        let run = try harness.run([
            ScriptedConnection(first, ending: .closedByServer("connection reset")), ScriptedConnection(second),
        ])
        #expect(run.openedConnections == 2)
        let subscribe = try #require(run.sentRequests.first { $0.contains(#""channel":"ohlc""#) })
        #expect(subscribe.contains(#""interval":1"#))
        let lines = try harness.fileLines(.ohlc(.oneMinute))
        #expect(lines == [
            "interval_begin,open,high,low,close,volume,vwap,trades",
            Self.row(Self.candle(15, trades: 7)), Self.row(Self.candle(16, trades: 2)),
            Self.row(Self.candle(17, trades: 4)),
        ])
        #expect(!run.eventNames.contains("ohlc_gap"))
    }

    @Test func aCandleOpenDuringAGapThatKrakenDoesNotResendIsDroppedAndLedgered() throws {
        let harness = try Self.harness()
        let first = Self.live(harness) + [ohlc(harness, snapshot: false, [Self.candle(16, trades: 2)])]
        // (Kraken's candle times, not the recorder's clock, decide which interval follows which.)
        let second = Self.live(harness) + [
            ohlc(harness, snapshot: true, [Self.candle(18, trades: 3), Self.candle(19, trades: 1)]),
        ]
        let run = try harness.run([
            ScriptedConnection(first + RecorderHarness.quiet(seconds: 1), ending: .closedByServer("connection reset")),
            ScriptedConnection(second),
        ])
        let lines = try harness.fileLines(.ohlc(.oneMinute))
        #expect(lines.dropFirst() == [Self.row(Self.candle(18, trades: 3))])
        let gap = try #require(run.events.first { $0.event == .ohlcGap })
        #expect(gap.detail.hasPrefix("ohlc 1m ETH/BTC: the candle of 2026-08-26T15:16:00.000000Z was open during a disconnect"))
    }

    @Test func aRefusedTickerIsARejectedRowAndTheBookRecordsOn() throws {
        let harness = try Self.harness()
        harness.market.ohlcIntervals = []
        var book = RecorderBookRulesTests.ethBTCBook()
        let snapshot = book.snapshot(bids: RecorderBookRulesTests.bids, asks: RecorderBookRulesTests.asks)
        let update = book.update(asks: [("0.031359", "3.00000000")])
        // Kraken's error frame names no channel; req_id 999 is none of ours, so only the ticker is unanswered.
        let steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8) + [
            .frame(KrakenFrameText.rejected(
                symbol: harness.symbol, error: "Currency pair not supported \(harness.symbol)", reqID: 999)),
            .frame(update),
        ] + RecorderHarness.quiet(seconds: 2)
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(run.exitCode == 0)
        let rejected = try #require(run.events.first { $0.event == .rejected })
        #expect(rejected.detail.hasPrefix("ticker ETH/BTC: Currency pair not supported ETH/BTC"))
        #expect(try harness.fileLines(.orderBook).count == 3, "header, snapshot and update")
        #expect(run.eventNames.last == "stopped")
    }
}
