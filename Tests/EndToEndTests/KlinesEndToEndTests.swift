import Foundation
import Testing

/// The built `collector` builds candles from a `kraken-sim` market (a fast simulated clock: one sim
/// minute per real second) across a restart; an independent implementation (scripts/klines_check.py,
/// Python's exact Fraction/Decimal) recomputes every candle from the trades file, the simulator's
/// own ohlc candles (recorded beside) agree, and `bytebit klines` rebuilds the same bytes offline.
@Suite struct KlinesEndToEndTests {
    static let pair = "BTC-USD"
    /// The repository's `scripts/klines_check.py`.
    static let checker = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/klines_check.py")

    @Test func liveCandlesEqualAnIndependentComputationAndTheOfflineRebuild() throws {
        let root = try makeTemporaryDirectory("klines")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: root) } }
        let simulator = try SimulatorProcess(in: root, arguments: ["--rate", "100", "--speed", "60"])
        defer { simulator.stop() }
        let config = try writeConfig(
            in: root, url: simulator.url, defaults: "  depth: 10\n  klines: [1m, 5m]\n  ohlc: [1m, 5m]", markets: "  - \(Self.pair)")
        let market = RecordedMarket(dataDirectory: root.appendingPathComponent("data"), pair: Self.pair)

        // First run: a few candles, then a stop in the middle of the open ones.
        let first = try CollectorProcess(config: config, pair: Self.pair, in: root, label: "collector-1")
        try waitUntil("three 1m candles", seconds: 60, pollEvery: 0.1) {
            ((try? rowsOfInterval(market, "1m")) ?? []).count >= 3
        }
        let tradesBeforeStop = try market.rows("trades")
        #expect(try first.stop() == 0)
        // Second run: it continues the open candles from the files.
        let second = try CollectorProcess(config: config, pair: Self.pair, in: root, label: "collector-2")
        try waitUntil("four 5m candles", seconds: 90, pollEvery: 0.2) {
            guard second.child.isRunning else { throw RecordingProblem("collector exited: \(second.child.stderr.suffix(2000))") }
            return ((try? rowsOfInterval(market, "5m")) ?? []).count >= 4
        }
        #expect(try second.stop() == 0)
        simulator.stop()

        // Every candle equals the independent computation; none is missing.
        let data = root.appendingPathComponent("data")
        let check = try LoaderRecipesTests.runPython(
            [Self.checker.path, data.path, Self.pair, "1m", "5m"], in: root)
        #expect(check.status == 0, "klines_check: \(check.stdout.prefix(3000)) \(check.stderr.prefix(2000))")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any], "\(check.stdout)")
        let intervals = try #require(report["intervals"] as? [String: [String: Any]])
        for interval in ["1m", "5m"] {
            let flags = try #require(intervals[interval]?["complete"] as? [String])
            // The first candle began before recording did.
            #expect(flags.first == "false", "\(interval): \(flags)")
        }

        // The restart: the candle holding the first run's last trade is incomplete, and the 5m candle
        // that spans the restart holds trades of both runs (the check above proved its sums).
        let lastBefore = try #require(tradesBeforeStop.last?[0])
        let minutes = try rowsOfInterval(market, "1m")
        let stopped = try #require(minutes.first { $0[0] == minuteBegin(lastBefore) }, "no 1m candle for \(lastBefore)")
        #expect(stopped[8] == "false")
        #expect(minutes.contains { $0[8] == "true" }, "no complete 1m candle at all")
        let events = try market.events().map(\.name)
        #expect(events.filter { $0 == "started" }.count == 2)

        // Kraken's own candles (the simulator's ohlc, recorded beside): every complete candle of ours
        // that Kraken also sent equals it in every column they share.
        for interval in ["1m", "5m"] {
            let ours = try rowsOfInterval(market, interval, folder: "klines", stem: "klines")
            let theirs = try rowsOfInterval(market, interval, folder: "ohlc", stem: "ohlc", cells: 8)
            let byBegin = Dictionary(theirs.map { ($0[0], $0) }, uniquingKeysWith: { $1 })
            let compared = ours.filter { $0[8] == "true" }.compactMap { row in byBegin[row[0]].map { (row, $0) } }
            #expect(compared.count >= 2, """
                \(interval): \(compared.count) candles in both; ours \(ours.map { "\($0[0]) \($0[8])" }), \
                Kraken's \(theirs.map(\.[0])); events \((try? market.events().map(\.name).suffix(30)) ?? [])
                """)
            for (row, kraken) in compared {
                #expect(Array(row.prefix(8)) == kraken, "\(interval) \(row[0]): ours \(row), Kraken's \(kraken)")
            }
        }

        // Offline: byte-identical files, rebuilt from the trades, the ledger and pair.csv.
        for interval in ["1m", "5m"] {
            let live = try #require(try market.files("klines").first { $0.lastPathComponent.hasPrefix("klines_\(interval)_") })
            let date = String(live.lastPathComponent.dropFirst("klines_\(interval)_".count).prefix(10))
            let output = root.appendingPathComponent("offline-\(interval).csv")
            let result = try runProduct(
                "bytebit", ["klines", Self.pair, "--interval", interval, "--date", date, "--output", output.path,
                            "--data-dir", data.path], in: root)
            #expect(result.status == 0, "\(result)")
            let liveBytes = try Data(contentsOf: live)
            let offlineBytes = try Data(contentsOf: output)
            #expect(liveBytes == offlineBytes, """
                \(interval) live:
                \(String(decoding: liveBytes, as: UTF8.self))
                offline:
                \(String(decoding: offlineBytes, as: UTF8.self))
                """)
        }
        passed = true
    }

    /// The rows of an interval's klines files: whole lines, the header first, nine cells each.
    @Test func theRebuildRefusesTodaysFileAndBadIntervalsAndSaysWhenThereAreNoTrades() throws {
        let root = try makeTemporaryDirectory("klines-cli")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(
            at: data.appendingPathComponent("\(Self.pair)/trades"), withIntermediateDirectories: true)
        let today = try runProduct(
            "bytebit", ["klines", Self.pair, "--interval", "1m", "--date", "today", "--data-dir", data.path], in: root)
        #expect(today.status == 64, "\(today)")
        #expect(today.stderr.contains("belong to the running collector"))
        let badInterval = try runProduct("bytebit", ["klines", Self.pair, "--interval", "2m", "--data-dir", data.path], in: root)
        #expect(badInterval.status == 64)
        #expect(badInterval.stderr.contains("--interval must be one of 1m, 5m, 15m, 30m, 1h, 4h, 1d"))
        let empty = try runProduct(
            "bytebit", ["klines", Self.pair, "--interval", "1m", "--date", "2026-01-02", "--data-dir", data.path], in: root)
        #expect(empty.status == 1, "\(empty)")
        #expect(empty.stderr.contains("no trades recorded for BTC-USD on 2026-01-02"))
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("\(Self.pair)/klines").path))
    }

    private func rowsOfInterval(
        _ market: RecordedMarket, _ interval: String, folder: String = "klines", stem: String = "klines", cells: Int = 9
    ) throws -> [[String]] {
        var rows: [[String]] = []
        for file in try market.files(folder) where file.lastPathComponent.hasPrefix("\(stem)_\(interval)_") {
            let text = try String(contentsOf: file, encoding: .utf8)
            guard text.hasSuffix("\n") else { throw RecordingProblem("\(file.lastPathComponent) ends with a torn row") }
            var lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            guard lines.removeFirst().first == "interval_begin" else { throw RecordingProblem("\(file.lastPathComponent) has no header") }
            for line in lines where line.count != cells { throw RecordingProblem("\(file.lastPathComponent): \(line)") }
            rows += lines
        }
        return rows
    }

    /// `2026-11-21T13:05:17.123456Z` → `2026-11-21T13:05:00.000000Z`.
    private func minuteBegin(_ timestamp: String) -> String {
        String(timestamp.prefix(17)) + "00.000000Z"
    }
}
