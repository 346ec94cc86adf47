import BytebitCore
import Foundation
import KrakenSim
import Logging

/// Prints the supervisor's own CPU and RSS with `markets` markets against an in-process kraken-sim,
/// and the total RSS and CPU of its collectors. Targets: < 1 % of a core and < 20 MB for the supervisor.
func runSupervisorBenchmark(markets: Int = 50, warmup: Int = 15, seconds: Int = 30, rate: Int = 10) throws {
    try SupervisorBenchmark(markets: markets, warmup: warmup, seconds: seconds, rate: rate).run()
}

/// The supervisor benchmark's settings and steps.
struct SupervisorBenchmark {
    /// How many markets to supervise.
    var markets: Int
    /// Seconds to let every collector connect before measuring.
    var warmup: Int
    /// Seconds to measure.
    var seconds: Int
    /// kraken-sim book messages per second per pair.
    var rate: Int

    func run() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("bytebit-bench-supervisor-\(getpid())")
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
        let start = (
            cpu: Self.cpuTicks(supervisor.processIdentifier), children: childrenBefore.map(Self.cpuTicks).reduce(0, +))
        Thread.sleep(forTimeInterval: Double(seconds))
        let children = Self.childPIDs(runDirectory)
        let end = (
            cpu: Self.cpuTicks(supervisor.processIdentifier), children: childrenBefore.map(Self.cpuTicks).reduce(0, +))
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        let supervisorCPU = Double(end.cpu - start.cpu) / ticksPerSecond / Double(seconds) * 100
        let childrenCPU = Double(end.children - start.children) / ticksPerSecond / Double(seconds) * 100
        let own = Self.memory(supervisor.processIdentifier)
        let collectors = children.map(Self.memory).reduce(Memory()) { $0.adding($1) }
        let state = try? SupervisorState.read(from: runDirectory.stateFile)
        func megabytes(_ kilobytes: Int) -> String { String(format: "%.1f MB", Double(kilobytes) / 1024) }
        print("markets configured:        \(markets) (\(state?.summary ?? "no state file"))")
        print("measured:                  \(seconds) s after \(warmup) s warm-up, sim rate \(rate) msg/s per pair")
        print(String(format: "supervisor CPU:            %.3f %% of a core (target < 1 %%)", supervisorCPU))
        print("supervisor memory:         RSS \(megabytes(own.resident)) (target < 20 MB), of which private "
            + "\(megabytes(own.privateBytes)); PSS \(megabytes(own.proportional)) (shared library pages split "
            + "with the collectors)")
        let collectorCPU = String(format: "%.1f %%", childrenCPU)
        print(
            "collectors:                \(children.count) running, total CPU \(collectorCPU) of a core"
            + ", total RSS \(megabytes(collectors.resident)), PSS \(megabytes(collectors.proportional)), private "
            + "\(megabytes(collectors.privateBytes))")
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

    /// Memory of one process in kB.
    struct Memory {
        /// Resident pages, shared library pages included in full.
        var resident = 0
        /// Resident pages with shared ones divided among the processes sharing them.
        var proportional = 0
        /// Pages only this process uses (its own heap, stacks, written data).
        var privateBytes = 0

        func adding(_ other: Memory) -> Memory {
            Memory(
                resident: resident + other.resident, proportional: proportional + other.proportional,
                privateBytes: privateBytes + other.privateBytes)
        }
    }

    /// Rss, Pss and Private_* of `pid`, from /proc/PID/smaps_rollup.
    static func memory(_ pid: Int32) -> Memory {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else {
            return Memory()
        }
        var memory = Memory()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { continue }
            switch fields[0] {
            case "Rss:": memory.resident = kilobytes
            case "Pss:": memory.proportional = kilobytes
            case "Private_Clean:", "Private_Dirty:": memory.privateBytes += kilobytes
            default: break
            }
        }
        return memory
    }

    /// Starts a product built next to this benchmark with its output in `output`.
    static func launch(_ product: String, _ arguments: [String], output: URL) throws -> Process {
        let folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let process = Process()
        process.executableURL = product.hasPrefix("/") ? URL(fileURLWithPath: product) : folder.appendingPathComponent(product)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }
}
