import BytebitCore
import BytebitTestSupport
import Foundation
import Testing

/// Candles built live by the recorder on a manual clock, across a restart in the middle of an interval.
@Suite struct RecorderKlinesTests {
    static func trade(_ id: UInt64, _ time: String, price: String = "0.031350") -> KrakenFrameText.Trade {
        .init(side: id % 2 == 0 ? "buy" : "sell", price: price, qty: "0.0100000\(id % 10)", tradeID: id,
              timestamp: "2026-08-26T\(time)Z")
    }

    @Test func aRestartMidIntervalRebuildsTheOpenCandleFromTheFilesAndMarksIt() throws {
        let harness = try RecorderHarness(recordsOrderBook: false)
        harness.market.klines = [.oneMinute]
        let symbol = harness.symbol
        let setup: [ScriptStep] = [
            .frame(KrakenFrameText.status("online")),
            .frame(KrakenFrameText.instrumentSnapshot(symbol: symbol, pricePrecision: 6, qtyPrecision: 8)),
            .frame(KrakenFrameText.subscribed("trade", symbol: symbol)),
        ]
        let first = try harness.run([ScriptedConnection(setup + [
            .frame(KrakenFrameText.trades(snapshot: true, symbol: symbol, [
                Self.trade(1, "15:16:01.000000"), Self.trade(2, "15:16:02.000000", price: "0.031360"),
            ])),
            .advance(microseconds: 1_000_000),
            .frame(KrakenFrameText.trades(snapshot: false, symbol: symbol, [Self.trade(3, "15:16:03.000000")])),
        ])])
        #expect(first.memory.klines.isEmpty)  // minute 15:16 is still open when the first run stops
        harness.clock.advance(microseconds: 3_000_000)
        let second = try harness.run([ScriptedConnection(setup + [
            .frame(KrakenFrameText.trades(snapshot: true, symbol: symbol, [
                Self.trade(2, "15:16:02.000000", price: "0.031360"), Self.trade(3, "15:16:03.000000"),
                Self.trade(4, "15:16:10.000000", price: "0.031340"),
            ])),
            .frame(KrakenFrameText.trades(snapshot: false, symbol: symbol, [Self.trade(5, "15:17:01.000000")])),
            .frame(KrakenFrameText.trades(snapshot: false, symbol: symbol, [Self.trade(6, "15:18:01.000000")])),
        ])])
        let klines = second.memory.klines
        #expect(klines.map(\.intervalBegin.description) == ["2026-08-26T15:16:00.000000Z", "2026-08-26T15:17:00.000000Z"])
        // Minute 15:16 holds the first run's three trades and the second run's one, and overlaps the restart.
        #expect(klines.first?.trades == 4)
        #expect(klines.first?.open.description == "0.031350")
        #expect(klines.first?.high.description == "0.031360")
        #expect(klines.first?.low.description == "0.031340")
        #expect(klines.first?.complete == false)
        #expect(klines.last?.complete == true)
        // vwap at price precision 6 + 4 from instrument data.
        #expect(klines.first?.vwap?.scale == 10)

        // The file holds the same rows, and the offline rebuild gives its exact bytes.
        let file = KlineDayFile.path(
            dataDirectory: harness.dataDirectory, pair: harness.market.pair.name, interval: .oneMinute,
            day: harness.clock.now().dayNumber)
        let live = try Data(contentsOf: URL(fileURLWithPath: file))
        let offline = try KlineRebuild.day(
            harness.clock.now().dayNumber, intervals: [.oneMinute], dataDirectory: harness.dataDirectory,
            pair: harness.market.pair.name, now: harness.clock.now())
        #expect(String(decoding: KlineDayFile.bytes(of: offline.klines), as: UTF8.self) == String(decoding: live, as: UTF8.self))
        #expect(offline.openCandles == 1)  // minute 15:18 is not over
    }

    @Test func aDisconnectMarksTheOpenCandleAndACandleIsWrittenFiveSecondsAfterItsEnd() throws {
        let harness = try RecorderHarness(recordsOrderBook: false)
        harness.market.klines = [.oneMinute, .fiveMinutes]
        let symbol = harness.symbol
        let setup: [ScriptStep] = [
            .frame(KrakenFrameText.status("online")),
            .frame(KrakenFrameText.instrumentSnapshot(symbol: symbol, pricePrecision: 6, qtyPrecision: 8)),
            .frame(KrakenFrameText.subscribed("trade", symbol: symbol)),
        ]
        // The clock starts at 15:16:00; minute 15:16 ends at 15:17:00 and is due at 15:17:05.
        let run = try harness.run([
            ScriptedConnection(setup + [
                .frame(KrakenFrameText.trades(snapshot: true, symbol: symbol, [Self.trade(1, "15:15:59.000000")])),
                .frame(KrakenFrameText.trades(snapshot: false, symbol: symbol, [Self.trade(2, "15:16:01.000000")])),
            ] + RecorderHarness.quiet(seconds: 66), ending: .closedByServer("connection reset")),
            ScriptedConnection(setup + [
                .frame(KrakenFrameText.trades(snapshot: true, symbol: symbol, [
                    Self.trade(2, "15:16:01.000000"), Self.trade(3, "15:17:20.000000"),
                ])),
            ] + RecorderHarness.quiet(seconds: 62)),
        ])
        let minutes = run.memory.klines.filter { $0.interval == .oneMinute }
        // 15:15 (started: incomplete), 15:16 (written at 15:17:05 before the disconnect: whole),
        // 15:17 (the first trade after the disconnect: incomplete).
        #expect(minutes.map(\.intervalBegin.description) == [
            "2026-08-26T15:15:00.000000Z", "2026-08-26T15:16:00.000000Z", "2026-08-26T15:17:00.000000Z",
        ])
        #expect(minutes.map(\.complete) == [false, true, false])
        let written = try #require(run.events.first { $0.event == .disconnected }?.timestamp)
        #expect(written.microseconds >= 1_787_757_360_000_000 + 65_000_000)
        // The 5m candle 15:15–15:20 spans the disconnect and is still open.
        #expect(run.memory.klines.filter { $0.interval == .fiveMinutes }.isEmpty)
    }
}
