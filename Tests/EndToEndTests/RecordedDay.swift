import Foundation
import Testing

/// One short recording of BTC-USD by the built `collector` from the built `kraken-sim`, with a dropped
/// connection (a gap in the events ledger), plus a copy of it with every file gzip-compressed. Made once
/// for `ViewEndToEndTests` (see `RecordedDayScope`), read by every test in it.
struct RecordedDay: Sendable {
    static let pair = "BTC-USD"
    /// Price levels a side in the order book file (the config's `levels`).
    static let levels = 10

    /// The folder holding the config, logs and both data folders.
    let root: URL
    /// The config the collector ran with (`data_dir: data`, relative to `root`).
    let config: URL
    /// `root/data`, as the collector wrote it.
    let dataDirectory: URL
    /// `root/gzip-data`: the same day with every file compressed by the `gzip` CLI.
    let compressedDataDirectory: URL
    /// The recorded UTC day, `YYYY-MM-DD`.
    let date: String

    /// The task-local recording of the running suite.
    @TaskLocal static var current: RecordedDay?

    /// The plain file of `kind` (`orderbook`, `trades`, `events`) for the day.
    func file(_ kind: String) -> URL {
        let name: String
        switch kind {
        case "orderbook": name = "orderbook_data_\(date).csv"
        case "trades": name = "trade_data_\(date).csv"
        default: name = "events_\(date).csv"
        }
        return dataDirectory.appendingPathComponent("\(Self.pair)/\(kind)/\(name)")
    }

    /// The file's whole text.
    func text(_ kind: String) throws -> String {
        try String(contentsOf: file(kind), encoding: .utf8)
    }

    /// The file's data rows as cells (header checked and dropped).
    func rows(_ kind: String) throws -> [[String]] {
        try RecordedMarket.rows(of: file(kind))
    }

    /// The file's data lines as written.
    func lines(_ kind: String) throws -> [String] {
        Array(try text(kind).split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast().map(String.init))
    }

    /// The file's header line.
    func header(_ kind: String) throws -> String {
        String(try text(kind).prefix { $0 != "\n" })
    }

    /// Records a few seconds (the simulator drops the connection after 150 data messages), stops the
    /// collector, and makes the gzip copy.
    static func record() throws -> RecordedDay {
        let root = try makeTemporaryDirectory("view-e2e")
        let simulator = try SimulatorProcess(in: root, arguments: ["--rate", "200", "--drop-after", "150"])
        let config = try writeConfig(
            in: root, url: simulator.url, defaults: "  depth: 10\n  levels: \(levels)", markets: "  - \(pair)")
        let collector = try CollectorProcess(config: config, pair: pair, in: root)
        try collector.waitForEvent("disconnected")
        try collector.waitForEvent("snapshot", count: 2)
        try collector.waitForRows(orderbook: collector.market.count("orderbook") + 100, trades: 60)
        let status = try collector.stop()
        simulator.stop()
        guard status == 0 else { throw RecordingProblem("collector exited \(status): \(collector.child.stderr.suffix(2000))") }

        // The day of the dropped connection (a recording across midnight keeps the day with the gap).
        let events = try collector.market.files("events")
        var date: String?
        for file in events where try RecordedMarket.rows(of: file).contains(where: { $0[1] == "disconnected" }) {
            date = String(file.lastPathComponent.dropFirst("events_".count).dropLast(".csv".count))
        }
        guard let date else { throw RecordingProblem("no events file holds the disconnection") }

        let compressed = root.appendingPathComponent("gzip-data")
        for kind in ["orderbook", "trades", "events"] {
            let folder = compressed.appendingPathComponent("\(pair)/\(kind)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in try collector.market.files(kind) {
                let copy = folder.appendingPathComponent(file.lastPathComponent)
                try FileManager.default.copyItem(at: file, to: copy)
                let gzip = Process()
                gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                gzip.arguments = ["gzip", copy.path]
                try gzip.run()
                gzip.waitUntilExit()
                guard gzip.terminationStatus == 0 else { throw RecordingProblem("gzip \(copy.path) failed") }
            }
        }
        return RecordedDay(
            root: root, config: config, dataDirectory: root.appendingPathComponent("data"),
            compressedDataDirectory: compressed, date: date)
    }

    /// Runs the built `bytebit` with `arguments` to its exit (no colour, 200 columns).
    func bytebit(_ arguments: [String]) throws -> CommandResult {
        let logs = root.appendingPathComponent("runs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        return try runProduct("bytebit", arguments, in: logs)
    }

    /// `bytebit view BTC-USD --date DAY --data-dir DATA` followed by `options`.
    func view(_ options: [String], dataDirectory: URL? = nil) throws -> CommandResult {
        try bytebit(["view", Self.pair, "--date", date, "--data-dir", (dataDirectory ?? self.dataDirectory).path] + options)
    }
}

/// Records the day once before the suite's tests and deletes it after them (kept when
/// BYTEBIT_KEEP_TEST_FILES is set, to look at).
struct RecordedDayScope: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let day = try RecordedDay.record()
        defer {
            if ProcessInfo.processInfo.environment["BYTEBIT_KEEP_TEST_FILES"] == nil {
                try? FileManager.default.removeItem(at: day.root)
            }
        }
        try await RecordedDay.$current.withValue(day) { try await function() }
    }
}

extension Trait where Self == RecordedDayScope {
    /// Records one day with a gap for the whole suite.
    static var recordedDay: Self { Self() }
}
