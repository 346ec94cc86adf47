import ArgumentParser
import BytebitCore
import Foundation
import KrakenSim
import Logging

/// `bytebit-bench supervisor`: the supervisor's own CPU and RSS with many markets against kraken-sim,
/// and the total RSS of its collectors. Targets: < 1 % of a core and < 20 MB for the supervisor.
struct SupervisorBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supervisor",
        abstract: "Measure bytebit run's CPU and RSS with N markets against a local kraken-sim.")

    @Option(help: "How many markets to supervise.")
    var markets = 50

    @Option(help: "Seconds to let every collector connect before measuring.")
    var warmup = 15

    @Option(help: "Seconds to measure.")
    var seconds = 30

    @Option(help: "kraken-sim book messages per second per pair.")
    var rate = 10

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-bench-supervisor-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The simulator runs in this process (its CPU is not the supervisor's) and lists one synthetic
        // pair per market, so every collector has a live feed.
        let simPairs = (1...max(markets, 1)).map(Self.syntheticPair)
        let simulator = try KrakenSimServer(
            options: SimOptions(port: 0, pace: .messagesPerSecond(Double(rate)), pairs: simPairs),
            logger: Logger(label: "kraken-sim"))
        simulator.start()
        defer { simulator.stop() }
        let config = """
            data_dir: data
            log_dir: logs
            log_level: notice
            kraken:
              url: \(simulator.url)
            markets:
            \(simPairs.map { "  - \($0.base)-\($0.quote)" }.joined(separator: "\n"))

            """
        let configPath = folder.appendingPathComponent("config.yaml").path
        try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
        let supervisor = try Self.launch(
            "bytebit", ["run", "--config", configPath], output: folder.appendingPathComponent("bytebit.stderr"))
        defer {
            supervisor.terminate()
            supervisor.waitUntilExit()
        }
        Thread.sleep(forTimeInterval: Double(warmup))
        let runDirectory = RunDirectory(logDirectory: folder.appendingPathComponent("logs").path)
        let childrenBefore = Self.childPIDs(runDirectory)
        let start = (cpu: Self.cpuTicks(supervisor.processIdentifier), children: childrenBefore.map(Self.cpuTicks).reduce(0, +))
        Thread.sleep(forTimeInterval: Double(seconds))
        let children = Self.childPIDs(runDirectory)
        let end = (cpu: Self.cpuTicks(supervisor.processIdentifier), children: childrenBefore.map(Self.cpuTicks).reduce(0, +))
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        let supervisorCPU = Double(end.cpu - start.cpu) / ticksPerSecond / Double(seconds) * 100
        let childrenCPU = Double(end.children - start.children) / ticksPerSecond / Double(seconds) * 100
        let supervisorRSS = Self.residentKilobytes(supervisor.processIdentifier)
        let childrenRSS = children.map(Self.residentKilobytes).reduce(0, +)
        let state = try? SupervisorState.read(from: runDirectory.stateFile)
        print("markets configured:        \(markets) (\(state?.summary ?? "no state file"))")
        print("measured:                  \(seconds) s after \(warmup) s warm-up, sim rate \(rate) msg/s per pair")
        print(String(format: "supervisor CPU:            %.3f %% of a core (target < 1 %%)", supervisorCPU))
        print(String(format: "supervisor RSS:            %.1f MB (target < 20 MB)", Double(supervisorRSS) / 1024))
        print(String(format: "collectors:                %d running, total RSS %.1f MB, total CPU %.1f %% of a core",
                     children.count, Double(childrenRSS) / 1024, childrenCPU))
        print("files and logs:            \(folder.path)")
    }

    /// A made-up pair `Tnn/USD` with a market of its own.
    static func syntheticPair(_ number: Int) -> SimPair {
        let base = String(format: "T%02d", number)
        return SimPair(
            symbol: "\(base)/USD", base: base, quote: "USD", pricePrecision: 2, qtyPrecision: 8,
            anchorPriceUnits: Int64(10_000 + number * 1_000), maxLevelGapUnits: 3, qtyMagnitude: 1,
            firstTradeID: Int64(number) * 1_000_000)
    }

    /// The pids of the running collectors, from the supervisor's state file.
    static func childPIDs(_ runDirectory: RunDirectory) -> [Int32] {
        ((try? SupervisorState.read(from: runDirectory.stateFile))?.markets ?? []).compactMap(\.pid)
    }

    /// utime + stime of `pid` in clock ticks, from /proc/PID/stat.
    static func cpuTicks(_ pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3, utime 14 and stime 15 (1-based, man 5 proc).
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return 0 }
        return user + system
    }

    /// VmRSS of `pid` in kB, from /proc/PID/status.
    static func residentKilobytes(_ pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Starts a product built next to this benchmark with its output in `output`.
    static func launch(_ product: String, _ arguments: [String], output: URL) throws -> Process {
        let folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let process = Process()
        process.executableURL = folder.appendingPathComponent(product)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }
}
