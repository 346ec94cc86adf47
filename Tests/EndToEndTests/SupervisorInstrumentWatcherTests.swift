import BytebitCore
import Foundation
import KrakenSim
import Testing

/// `collector --watch-instruments PATH` against a local `kraken-sim`: the online pairs reach PATH,
/// a dropped connection is reconnected through the shared ledger, SIGTERM stops it with 0.
@Suite(.serialized) struct SupervisorInstrumentWatcherTests {
    @Test func writesTheOnlinePairsReconnectsAndStopsCleanly() throws {
        let folder = try makeTemporaryDirectory("watcher")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Every connection is reset after 1 data message, so the watcher must reconnect.
        let simulator = try SimulatorProcess(in: folder, arguments: ["--drop-after", "1", "--fault-connections", "first"])
        defer { simulator.stop() }
        let config = folder.appendingPathComponent("config.yaml")
        try Data("kraken:\n  url: \(simulator.url)\nall_markets:\n".utf8).write(to: config)
        let list = folder.appendingPathComponent("instruments.json").path
        let ledger = folder.appendingPathComponent("connections.ledger").path
        let watcher = try ChildProcess(
            "collector", arguments: ["--config", config.path, "--watch-instruments", list, "--connect-ledger", ledger],
            logDirectory: folder, label: "watcher")
        let expected = SimPair.catalog.compactMap { MarketPair(krakenSymbol: $0.symbol) }.sorted()
        try waitUntil("the online pair list", seconds: 20) {
            (try? OnlinePairs.read(from: list)) == expected
        }
        watcher.signal(SIGTERM)
        #expect(try watcher.waitForExit(seconds: 20) == 0)
        let attempts = try String(contentsOfFile: ledger, encoding: .utf8).split(separator: "\n").count
        #expect(attempts >= 1)
    }
}
