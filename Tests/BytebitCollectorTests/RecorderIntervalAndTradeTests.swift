import BytebitCore
import BytebitTestSupport
import Testing

/// `mode: interval` across a gap, and trades across a reconnect, played through the scripted transport.
@Suite struct RecorderIntervalAndTradeTests {
    static let bids = RecorderBookRulesTests.bids
    static let asks = RecorderBookRulesTests.asks

    @Test func intervalRowsStopInAGapAndResumeAfterTheFreshSnapshot() throws {
        let harness = try RecorderHarness(mode: .interval(microseconds: 1_000_000))
        var book = RecorderBookRulesTests.ethBTCBook()
        let first = book.snapshot(bids: Self.bids, asks: Self.asks)
        let second = book.snapshot(bids: Self.bids, asks: Self.asks)
        let live = harness.frames(toLiveWith: first, pricePrecision: 6, qtyPrecision: 8)
        var reconnected = harness.frames(toLiveWith: second, pricePrecision: 6, qtyPrecision: 8)
        // Connected again but no snapshot yet for three seconds: still a gap.
        reconnected.insert(contentsOf: RecorderHarness.quiet(seconds: 3), at: reconnected.count - 1)
        let run = try harness.run([
            ScriptedConnection(live + RecorderHarness.quiet(seconds: 3), ending: .closedByServer("connection reset")),
            ScriptedConnection(reconnected + RecorderHarness.quiet(seconds: 3)),
        ])
        #expect(run.openedConnections == 2)
        let disconnected = try #require(run.events.first { $0.event.name == "disconnected" }?.timestamp)
        let resynced = try #require(run.events.last { $0.event.name == "snapshot" }?.timestamp)
        let times = run.books.map(\.timestamp.microseconds)
        #expect(times.allSatisfy { $0 % 1_000_000 == 0 })
        #expect(times == times.sorted() && Set(times).count == times.count)
        #expect(!times.contains { $0 > disconnected.microseconds && $0 < resynced.microseconds })
        #expect(times.filter { $0 < disconnected.microseconds }.count >= 2)
        #expect(times.filter { $0 > resynced.microseconds }.count >= 2)
    }

    @Test func noIntervalRowsDuringMaintenance() throws {
        let harness = try RecorderHarness(mode: .interval(microseconds: 1_000_000))
        var book = RecorderBookRulesTests.ethBTCBook()
        let snapshot = book.snapshot(bids: Self.bids, asks: Self.asks)
        let steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8)
            + RecorderHarness.quiet(seconds: 2) + [.frame(KrakenFrameText.status("maintenance"))]
            + RecorderHarness.quiet(seconds: 4)
        let run = try harness.run([ScriptedConnection(steps)])
        let maintenance = try #require(run.events.first { $0.event.name == "maintenance" }?.timestamp)
        #expect(run.books.count >= 1)
        #expect(!run.books.contains { $0.timestamp > maintenance })
    }

    @Test func tradesAreNotRepeatedByTheSnapshotOfAResubscribe() throws {
        let harness = try RecorderHarness(recordsOrderBook: false)
        func trade(_ id: UInt64) -> KrakenFrameText.Trade {
            .init(side: id % 2 == 0 ? "buy" : "sell", price: "0.03135\(id % 10)", qty: "0.0100000\(id % 10)",
                  tradeID: id, timestamp: "2026-08-26T15:16:1\(id % 10).000001Z")
        }
        let symbol = harness.symbol
        let setup: [ScriptStep] = [
            .frame(KrakenFrameText.status("online")),
            .frame(KrakenFrameText.instrumentSnapshot(symbol: symbol, pricePrecision: 6, qtyPrecision: 8)),
            .frame(KrakenFrameText.subscribed("trade", symbol: symbol)),
        ]
        let run = try harness.run([
            ScriptedConnection(setup + [
                .frame(KrakenFrameText.trades(snapshot: true, symbol: symbol, [trade(1), trade(2)])),
                .frame(KrakenFrameText.trades(snapshot: false, symbol: symbol, [trade(3)])),
                .frame(KrakenFrameText.trades(snapshot: false, symbol: "BTC/USD", [trade(9)])),
            ], ending: .closedByServer("connection reset")),
            ScriptedConnection(setup + [
                .frame(KrakenFrameText.trades(snapshot: true, symbol: symbol, [trade(2), trade(3), trade(4)])),
                .frame(KrakenFrameText.trades(snapshot: false, symbol: symbol, [trade(5)])),
            ]),
        ])
        #expect(run.openedConnections == 2)
        #expect(run.trades.map(\.tradeID) == [1, 2, 3, 4, 5])
        #expect(run.trades.first?.price.description == "0.031351")
        let rows = try harness.fileLines(.trades).dropFirst()
        #expect(rows.map { $0.split(separator: ",")[2] } == ["1", "2", "3", "4", "5"])
    }
}
