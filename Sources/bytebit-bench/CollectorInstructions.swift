import Foundation

/// The real `collector` under valgrind's callgrind against a `kraken-sim` process, for one pair:
/// its instructions (every thread) per recorded message over a fixed window, with the outputs asked
/// for. Instruction counts, unlike CPU time, do not move with the load of a shared machine.
struct CollectorInstructions {
    var rate: Int
    var warmup: Int
    var seconds: Int
    var depth: Int
    var levels: Int

    struct Failure: Error, CustomStringConvertible { let description: String }

    struct Figure {
        var instructions: Int
        /// Book rows and trades the files got in the window (each one message of every output).
        var messages: Int
        /// The collector's Redis counters at the end (with Redis on).
        var redis: (sent: Int, dropped: Int)?
        var perMessage: Double { Double(instructions) / Double(max(messages, 1)) }
    }

    func measure(_ outputs: CollectorOutputs) throws -> Figure {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bytebit-bench-instructions-\(getpid())-\(outputs.name.filter(\.isLetter))")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let simOutput = folder.appendingPathComponent("sim.out")
        let simulator = try SupervisorBenchmark.launch("kraken-sim", ["--port", "0", "--rate", "\(rate)"], output: simOutput)
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        let simURL = try waitForLine(in: simOutput, prefix: "listening on ")
        let configPath = try outputs.writeConfig(in: folder, url: simURL, depth: depth, levels: levels)
        let collectorPath = try Callgrind.strippedCopy(of: Callgrind.builtBinary("collector"), in: folder)
        let outFile = folder.appendingPathComponent("callgrind.out").path
        let statusFile = folder.appendingPathComponent("collector.json").path
        let collector = try SupervisorBenchmark.launch(
            "/usr/bin/valgrind",
            ["--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=\(outFile)", collectorPath,
             "--config", configPath, "--market", "BTC-USD", "--status-file", statusFile] + outputs.arguments,
            output: folder.appendingPathComponent("collector.stderr"))
        defer {
            collector.terminate()
            collector.waitUntilExit()
        }
        // Valgrind starts slowly on a loaded machine: the warm-up runs from the first recorded row.
        let startDeadline = Date().addingTimeInterval(90)
        while messages(folder) == 0, Date() < startDeadline { Thread.sleep(forTimeInterval: 0.5) }
        guard messages(folder) > 0 else {
            throw Failure(description: "the collector recorded nothing within 90 s (see \(folder.path)/collector.stderr)")
        }
        Thread.sleep(forTimeInterval: Double(warmup))
        try control(["-i", "on"], collector.processIdentifier)
        let before = messages(folder)
        Thread.sleep(forTimeInterval: Double(seconds))
        try control(["-i", "off"], collector.processIdentifier)
        let after = messages(folder)
        try control(["-d"], collector.processIdentifier)
        let figure = Figure(
            instructions: try instructions(folder: folder), messages: after - before,
            redis: redisCounters(statusFile: statusFile))
        if ProcessInfo.processInfo.environment["BYTEBIT_BENCH_KEEP"] == nil {
            try? FileManager.default.removeItem(at: folder)
        } else {
            print("kept \(folder.path) (callgrind.out*: callgrind_annotate)")
        }
        return figure
    }

    /// Book rows and trades in the files.
    private func messages(_ folder: URL) -> Int {
        ["orderbook", "trades"].reduce(0) { total, kind in
            let directory = folder.appendingPathComponent("data/BTC-USD/\(kind)")
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return total + files.filter { $0.hasSuffix(".csv") }.reduce(0) { sum, name in
                let data = (try? Data(contentsOf: directory.appendingPathComponent(name))) ?? Data()
                return sum + max(0, data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } - 1)
            }
        }
    }

    private func control(_ arguments: [String], _ pid: Int32) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/callgrind_control")
        process.arguments = arguments + ["\(pid)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "callgrind_control \(arguments) failed") }
    }

    /// The `totals:` of every dump callgrind wrote (its `summary:` line is 0 with `--instr-atstart=no`).
    private func instructions(folder: URL) throws -> Int {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            var total = 0
            for name in names where name.hasPrefix("callgrind.out") {
                let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
                total += Callgrind.totals(inDump: text) ?? 0
            }
            if total > 0 { return total }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw Failure(description: "callgrind wrote no dump in \(folder.path)")
    }

    private func waitForLine(in file: URL, prefix: String) throws -> String {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line.dropFirst(prefix.count))
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure(description: "kraken-sim did not print its address within 10 s")
    }
}
