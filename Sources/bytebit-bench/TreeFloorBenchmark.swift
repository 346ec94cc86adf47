import BytebitCore
import Foundation

/// What the 672-pair tree's process model costs on this machine before any recording (issue 10):
/// against the same simulator as `scripts/bench-many-pairs` (`kraken-sim --pairs-file <the 672-pair
/// snapshot> --rate 570`, ws), bare transport clients that subscribe to the same pairs' books and
/// trades and discard every frame, in several layouts (25 processes on `auto`'s groups, fewer
/// processes, one process holding every connection), beside the real `bytebit run` tree. Per layout:
/// CPU (% of one core), CPU per data message with its user/system split, context switches and page
/// faults per message, all from /proc over the same steady window.
struct TreeFloorBenchmark {
    var layouts: [String]
    var rate = 570
    var warmup = 10
    var seconds = 30
    var depth = 10
    var pairsFile: String
    /// bytebit, collector and kraken-sim from this folder (another build's); nil: next to this benchmark.
    var binaries: String?

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// One layout to measure.
    enum Layout {
        /// Bare clients, one process per group.
        case floor(groups: [MarketGroup])
        /// Bare clients, every group's connection in one process (a thread each).
        case floorThreads(groups: [MarketGroup])
        /// `bytebit run` with `pairs_per_connection` as given.
        case tree(PairsPerConnection)
    }

    func run() throws {
        let symbols = try Self.onlineSymbols(pairsFile)
        let pairs = symbols.keys.sorted()
        Self.say("tree floor: \(pairs.count) pairs, kraken-sim --rate \(rate) (ws), depth \(depth), \(warmup) s warm-up, \(seconds) s window")
        Self.say(TreeFloorSample.header)
        for name in layouts {
            let layout = try Self.layout(named: name, pairs: pairs)
            let (label, processes, messages, cost) = try measure(layout, named: name, symbols: symbols)
            Self.say(cost.line(label, processes: processes, messages: messages, seconds: seconds))
        }
        Self.say("load average at the end: \(ReceiveBenchmark.loadAverage) (a shared machine inflates CPU figures)")
    }

    /// `N` (bare clients in N processes: on `auto`'s groups when N is its bucket count, 8, otherwise
    /// the sorted pairs dealt round-robin), `N-threads` (N connections in one process),
    /// `tree` (`bytebit run`, auto) and `tree-N` (`pairs_per_connection: N`).
    static func layout(named name: String, pairs: [MarketPair]) throws -> Layout {
        if name == "tree" { return .tree(.auto) }
        if name.hasPrefix("tree-"), let size = Int(name.dropFirst(5)) { return .tree(.fixed(size)) }
        let threaded = name.hasSuffix("-threads")
        guard let count = Int(threaded ? String(name.dropLast(8)) : name), count > 0 else {
            throw Failure(description: "unknown layout \(name): use N, N-threads, tree or tree-N")
        }
        let groups =
            count == MarketGrouping.autoBucketCount
            ? MarketGrouping.groups(for: pairs, setting: .auto)
            : (0..<count).map { index in
                MarketGroup(name: "floor-\(index)", pairs: stride(from: index, to: pairs.count, by: count).map { pairs[$0] })
            }
        return threaded ? .floorThreads(groups: groups) : .floor(groups: groups)
    }

    private func measure(
        _ layout: Layout, named name: String, symbols: [MarketPair: String]
    ) throws -> (String, Int, Int, TreeFloorSample) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-tree-floor-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (simulator, url) = try startSimulator(folder: folder)
        defer { Self.stop([simulator]) }
        switch layout {
        case .floor(let groups), .floorThreads(let groups):
            let threaded = if case .floorThreads = layout { true } else { false }
            let perProcess = threaded ? [groups] : groups.map { [$0] }
            let clients = try perProcess.enumerated().map { index, groups in
                try SupervisorBenchmark.launch(
                    "bytebit-bench",
                    ["tree-floor-client", "--url", url, "--depth", String(depth), "--count-folder", folder.path]
                        + groups.flatMap { ["--group", $0.pairs.compactMap { symbols[$0] }.joined(separator: ",")] },
                    output: folder.appendingPathComponent("client-\(index).out"))
            }
            defer { Self.stop(clients) }
            Thread.sleep(forTimeInterval: Double(warmup))
            let pids = clients.map(\.processIdentifier)
            let (messages, cost) = window(pids: pids) { TreeFloorCount.dataFrames(in: folder.path) }
            guard clients.allSatisfy(\.isRunning), messages > 0 else {
                throw Failure(description: "the floor clients of \(name) received nothing (see \(folder.path))")
            }
            let label = threaded
                ? "floor: 1 process, \(groups.count) connections (a thread each)"
                : "floor: \(groups.count) processes, a connection each (\(groups.map(\.pairs.count).max() ?? 0) pairs at most)"
            return (label, pids.count, messages, cost)
        case .tree(let setting):
            let config = try writeConfig(in: folder, url: url, pairs: symbols.keys.sorted(), setting: setting)
            let supervisor = try SupervisorBenchmark.launch(
                binary("bytebit"), ["run", "--config", config], output: folder.appendingPathComponent("run.out"))
            defer { Self.stop([supervisor]) }
            // Every pair has its snapshot ~5 s after start; files and status writes settle after.
            Thread.sleep(forTimeInterval: Double(warmup + Self.treeExtraWarmup))
            let pids = TreeFloorSample.tree(of: supervisor.processIdentifier)
            let collectors = pids.filter { $0 != supervisor.processIdentifier }
            func helpers() -> TreeFloorSample {
                collectors.reduce(into: TreeFloorSample()) { $0.add(TreeFloorSample.otherThreads(of: $1)) }
            }
            let supervisorBefore = TreeFloorSample.of(supervisor.processIdentifier)
            let helpersBefore = helpers()
            let (messages, cost) = window(pids: pids) { Self.rowsWritten(in: folder.appendingPathComponent("data")) }
            let supervisorCost = TreeFloorSample.of(supervisor.processIdentifier) - supervisorBefore
            let helpersCost = helpers() - helpersBefore
            guard supervisor.isRunning, messages > 0 else {
                throw Failure(description: "bytebit run wrote no rows (see \(folder.path)/run.out)")
            }
            Self.say(supervisorCost.line("(of it: the supervisor)", processes: 1, messages: messages, seconds: seconds))
            Self.say(
                helpersCost.line(
                    "(of it: the collectors' threads besides the main one: the files' writer)", processes: collectors.count,
                    messages: messages, seconds: seconds))
            return ("bytebit run, pairs_per_connection \(setting) (messages: rows written)", pids.count, messages, cost)
        }
    }

    /// Seconds the real tree waits beyond `warmup`: 672 subscriptions, first files, first status writes.
    static let treeExtraWarmup = 10

    /// The cost of `pids` and the growth of `messages()` over the window.
    private func window(pids: [Int32], messages: () -> Int) -> (Int, TreeFloorSample) {
        let before = TreeFloorSample.of(pids)
        let messagesBefore = messages()
        Thread.sleep(forTimeInterval: Double(seconds))
        let after = TreeFloorSample.of(pids)
        return (messages() - messagesBefore, after - before)
    }

    private func binary(_ product: String) -> String {
        binaries.map { "\($0)/\(product)" } ?? product
    }

    private func startSimulator(folder: URL) throws -> (Process, String) {
        let output = folder.appendingPathComponent("sim.out")
        let simulator = try SupervisorBenchmark.launch(
            binary("kraken-sim"), ["--port", "0", "--pairs-file", pairsFile, "--rate", String(rate)], output: output)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
                return (simulator, String(line.dropFirst("listening on ".count)))
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Self.stop([simulator])
        throw Failure(description: "kraken-sim did not print its address within 20 s (see \(output.path))")
    }

    /// The config `scripts/bench-many-pairs` writes for its `markets` run.
    private func writeConfig(in folder: URL, url: String, pairs: [MarketPair], setting: PairsPerConnection) throws -> String {
        var lines = [
            "data_dir: \(folder.path)/data", "log_dir: \(folder.path)/logs", "log_level: notice",
            "kraken:", "  url: \(url)", "  pairs_per_connection: \(setting)",
            "defaults:", "  depth: \(depth)", "  levels: 10", "markets:",
        ]
        lines += pairs.map { "  - \($0.name)" }
        let path = folder.appendingPathComponent("config.yaml").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Lines in every order book and trades file below `data` (rows written so far).
    static func rowsWritten(in data: URL) -> Int {
        let manager = FileManager.default
        var lines = 0
        for pair in (try? manager.contentsOfDirectory(atPath: data.path)) ?? [] {
            for stream in ["orderbook", "trades"] {
                let folder = data.appendingPathComponent(pair).appendingPathComponent(stream)
                for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".csv") {
                    let bytes = (try? Data(contentsOf: folder.appendingPathComponent(name))) ?? Data()
                    lines += bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                }
            }
        }
        return lines
    }

    /// The online pairs of an instrument snapshot file (the fixture kraken-sim serves), name → Kraken symbol.
    static func onlineSymbols(_ path: String) throws -> [MarketPair: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let body = root["data"] as? [String: Any], let pairs = body["pairs"] as? [[String: Any]]
        else { throw Failure(description: "\(path) is not an instrument snapshot") }
        var symbols: [MarketPair: String] = [:]
        for pair in pairs where pair["status"] as? String == "online" {
            guard let symbol = pair["symbol"] as? String,
                let market = MarketPair(parsing: symbol.replacingOccurrences(of: "/", with: "-"))
            else { continue }
            symbols[market] = symbol
        }
        return symbols
    }

    /// A line on stdout at once (`print` holds it in a buffer when stdout is a file).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private static func stop(_ processes: [Process]) {
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
    }
}
