import BytebitCore
import Foundation
import Testing

/// The README's loader recipes (pandas, polars, DuckDB), run by `scripts/loader_recipes.py` against files
/// the built `collector` really wrote from the built `kraken-sim`: a day that was gzip-compressed while
/// rows kept coming (late rows beside the `.gz`), then a restart with another `levels` (a layout folder).
/// `bytebit list` and `view` must count the same rows. Fails, never skips, without python3 or its modules.
@Suite(.serialized) struct LoaderRecipesTests {
    static let pair = "BTC-USD"

    /// The repository's `scripts/loader_recipes.py`.
    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/loader_recipes.py")
    }

    /// Data rows of every file of a stream (gzip read by the `gzip` CLI, not by our zlib code).
    static func rowsOnDisk(_ data: URL, _ stream: String) throws -> Int {
        let folder = data.appendingPathComponent("\(pair)/\(stream)")
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return 0 }
        var rows = 0
        for case let name as String in walker where name.hasSuffix(".csv") || name.hasSuffix(".csv.gz") {
            let path = folder.appendingPathComponent(name).path
            let text = name.hasSuffix(".gz") ? try gunzip(path) : try String(contentsOfFile: path, encoding: .utf8)
            // Each gzip member after the first holds late rows without a header; every file starts with one.
            rows += text.split(separator: "\n").filter { !$0.hasPrefix("timestamp,") }.count
        }
        return rows
    }

    static func gunzip(_ path: String) throws -> String {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw RecordingProblem("gzip -dc \(path) failed") }
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs `python3` (found on PATH) to its exit; its output goes through files, so no pipe can fill up.
    static func runPython(_ arguments: [String], in directory: URL) throws -> CommandResult {
        let out = directory.appendingPathComponent("python.stdout")
        let err = directory.appendingPathComponent("python.stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        try waitUntil("the loader recipes script", seconds: 180, pollEvery: 0.2) { !process.isRunning }
        return CommandResult(
            status: process.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    static func plainFiles(_ data: URL, _ stream: String) -> [String] {
        let folder = data.appendingPathComponent("\(pair)/\(stream)")
        return (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".csv") }
    }

    static func gzipFiles(_ data: URL, _ stream: String) -> [String] {
        let folder = data.appendingPathComponent("\(pair)/\(stream)")
        return (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".gz") }
    }

    @Test func recipesLoadExactDecimalsAndUTCTimesFromPlainGzipAndAChangedLayout() throws {
        let root = try makeTemporaryDirectory("loaders")
        var passed = false
        defer { if passed, ProcessInfo.processInfo.environment["BYTEBIT_KEEP_TEST_FILES"] == nil { try? FileManager.default.removeItem(at: root) } }
        let data = root.appendingPathComponent("data")
        // A past day: the collector's clock says it is over, so it is compressed while rows still come.
        let simulator = try SimulatorProcess(in: root, arguments: ["--rate", "200", "--start", "2026-11-21T12:00:00Z"])
        defer { simulator.stop() }
        // Three runs: levels 10 (compressed as it goes), levels 4 (a layout folder), then levels 4 without
        // compression: late rows in a plain file beside the day's gzip, as after a restart across midnight.
        for (index, (levels, compresses)) in [(10, true), (4, true), (4, false)].enumerated() {
            let config = try writeConfig(
                in: root, url: simulator.url, defaults: "  depth: 10\n  levels: \(levels)", markets: "  - \(Self.pair)",
                extra: "compress: \(compresses)")
            let collector = try CollectorProcess(config: config, pair: Self.pair, in: root, label: "collector-\(index)")
            try waitUntil("rows beside a compressed day (levels \(levels))", seconds: 40, pollEvery: 0.2) {
                guard collector.child.isRunning else { throw RecordingProblem("collector exited: \(collector.child.stderr.suffix(2000))") }
                let layoutRows = levels == 10 ? 0 : (try? Self.rowsOnDisk(data, "orderbook/levels-4")) ?? 0
                // A file may be renamed to .gz while it is read: count again on the next poll.
                let bookRows = (try? Self.rowsOnDisk(data, "orderbook")) ?? 0
                let tradeRows = (try? Self.rowsOnDisk(data, "trades")) ?? 0
                let plainBesideGzip = Self.plainFiles(data, "orderbook/levels-4").contains {
                    Self.gzipFiles(data, "orderbook/levels-4").contains($0 + ".gz")
                }
                return !Self.gzipFiles(data, "orderbook").isEmpty && bookRows > 300 * (index + 1)
                    && (levels == 10 || layoutRows > 100) && tradeRows > 40 * (index + 1) && (compresses || plainBesideGzip)
            }
            #expect(try collector.stop() == 0)
        }
        // The collector wrote pair.csv from the instrument channel: one row per change of levels (BTC/USD: 1 and 8).
        let metadata = try PairMetadata.read(dataDirectory: data.path, pair: Self.pair)
        #expect(metadata.map(\.orderBookLevels) == [10, 4])
        #expect(metadata.allSatisfy { $0.pricePrecision == 1 && $0.qtyPrecision == 8 })
        let expected = ["orderbook": try Self.rowsOnDisk(data, "orderbook"), "trades": try Self.rowsOnDisk(data, "trades")]
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("\(Self.pair)/orderbook/levels-4").path))

        // bytebit list and view count every row: gzip, the late rows beside it and the layout folder.
        let list = try runProduct("bytebit", ["list", "--data-dir", data.path, "--format", "csv"], in: root)
        #expect(list.status == 0, "\(list)")
        let listed = list.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(listed.reduce(0) { $0 + (Int($1[2]) ?? 0) } == expected["orderbook"])
        #expect(listed.reduce(0) { $0 + (Int($1[4]) ?? 0) } == expected["trades"])
        var viewed = 0
        for row in listed where Int(row[2]) != nil {
            let view = try runProduct(
                "bytebit", ["view", Self.pair, "--date", String(row[1]), "--data-dir", data.path, "--format", "csv", "--levels", "10"],
                in: root)
            #expect(view.status == 0, "\(view)")
            viewed += view.stdout.split(separator: "\n").count - 1
        }
        #expect(viewed == expected["orderbook"])

        let python = try Self.runPython([Self.script.path, "--data-dir", data.path, "--pair", Self.pair], in: root)
        #expect(python.status == 0, "loader recipes failed: \(python.stdout.suffix(2000)) \(python.stderr.suffix(3000))")
        for tool in ["pandas", "polars", "duckdb"] {
            for (stream, rows) in expected {
                #expect(python.stdout.contains("\(tool) \(stream) rows=\(rows) "), "\(tool) \(stream): \(python.stdout)")
            }
        }
        passed = true
    }
}
