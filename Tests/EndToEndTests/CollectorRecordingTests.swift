import Foundation
import Testing

/// The built `collector` against the built `kraken-sim`: the files must equal what was sent.
@Suite struct CollectorRecordingTests {
    struct Market: Sendable, CustomStringConvertible {
        let pair: String
        let symbol: String
        let depth: Int
        let levels: Int
        /// Depth-1000 truth files hold ~60 KB per message: fewer messages keep the test quick.
        var rowsToRecord: Int { depth >= 500 ? 60 : 300 }
        var description: String { "\(pair) depth \(depth) levels \(levels)" }
    }

    @Test(arguments: [
        Market(pair: "BTC-USD", symbol: "BTC/USD", depth: 10, levels: 10),
        Market(pair: "ETH-BTC", symbol: "ETH/BTC", depth: 25, levels: 3),
        Market(pair: "BTC-JPY", symbol: "BTC/JPY", depth: 100, levels: 25),
        Market(pair: "ARB-USD", symbol: "ARB/USD", depth: 1000, levels: 12),
    ])
    func updateModeWritesEveryVerifiedBookMessageAndEveryTradeOnce(market: Market) throws {
        let directory = try makeTemporaryDirectory("update-\(market.pair)")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "200"])
        let config = try writeConfig(
            in: directory, url: simulator.url, defaults: "  depth: \(market.depth)\n  levels: \(market.levels)",
            markets: "  - \(market.pair)")
        let collector = try CollectorProcess(config: config, pair: market.pair, in: directory)
        try collector.waitForRows(orderbook: market.rowsToRecord, trades: 20)
        #expect(try collector.stop() == 0)
        simulator.stop()

        let rows = try collector.market.rows("orderbook")
        let truth = try simulator.bookTruth()
        try RecordingChecks.orderBookRowsMatchTruth(
            rows, truth: truth, symbol: market.symbol, depth: market.depth, levels: market.levels)
        let first = try #require(rows.first?[0])
        let last = try #require(rows.last?[0])
        let missing = RecordingChecks.missingStates(
            rows: rows, truth: truth, symbol: market.symbol, depth: market.depth, from: first, to: last)
        #expect(missing.isEmpty, "book messages sent but not recorded: \(missing.prefix(5))")
        try RecordingChecks.tradesMatchTruth(try collector.market.rows("trades"), truth: try simulator.tradeTruth())

        let events = try collector.market.events().map(\.name)
        #expect(Array(events.prefix(5)) == ["started", "connected", "subscribed", "snapshot", "subscribed"]
                || Array(events.prefix(5)) == ["started", "connected", "subscribed", "subscribed", "snapshot"])
        #expect(events.last == "stopped")
        passed = true
    }
}
