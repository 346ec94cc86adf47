import Foundation
import Testing

/// The built `collector` against the built `kraken-sim` listing Kraken's real universe (the
/// 672-pair instrument snapshot): pair names with a `.` record like any other (SPEC §3).
@Suite struct CollectorManyPairsTests {
    static var instrumentSnapshot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("KrakenSimTests/Fixtures/kraken-data-recorder_instrument_snapshot.json").path
    }

    @Test func eth2sEthIsRecordedInAGroupAndItsRowsMatchTheSimulator() throws {
        let directory = try makeTemporaryDirectory("eth2s")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let simulator = try SimulatorProcess(
            in: directory, arguments: ["--pairs-file", Self.instrumentSnapshot, "--rate", "2000"])
        let markets = [("ETH2.S-ETH", "ETH2.S/ETH"), ("BTC-USD", "BTC/USD")]
        let config = try writeConfig(
            in: directory, url: simulator.url, markets: markets.map { "  - \($0.0)" }.joined(separator: "\n"))
        let collector = try ChildProcess(
            "collector",
            arguments: ["--config", config.path] + markets.flatMap { ["--market", $0.0] }
                + ["--status-file", directory.appendingPathComponent("group.json").path],
            logDirectory: directory)
        let data = directory.appendingPathComponent("data")
        let eth2s = RecordedMarket(dataDirectory: data, pair: "ETH2.S-ETH")
        try waitUntil("ETH2.S-ETH: a snapshot and order book rows", seconds: 40, pollEvery: 0.1) {
            guard collector.isRunning else { throw RecordingProblem("collector exited: \(collector.stderr.suffix(2000))") }
            return try eth2s.events().contains { $0.name == "snapshot" } && eth2s.count("orderbook") >= 2
        }
        collector.signal(SIGTERM)
        #expect(try collector.waitForExit(seconds: 20) == 0)
        simulator.stop()

        let truth = try simulator.bookTruth()
        let rows = try eth2s.rows("orderbook")
        try RecordingChecks.orderBookRowsMatchTruth(rows, truth: truth, symbol: "ETH2.S/ETH", depth: 10, levels: 10)
        let events = try eth2s.events().map(\.name)
        #expect(!events.contains("rejected"), "\(events)")
        #expect(events.last == "stopped")
        passed = true
    }
}
