import ArgumentParser
import BytebitCore
import Foundation

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

    @Option(name: .customLong("pair"), help: "A pair the simulator lists (repeatable); the rest are generated.")
    var pairs: [String] = ["BTC-USD", "ETH-USD", "ETH-BTC", "BTC-JPY", "ARB-USD"]

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-bench-supervisor-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let port = try Self.freePort()
        let simulator = try Self.launch(
            "kraken-sim", ["--port", "\(port)", "--rate", "\(rate)"], output: folder.appendingPathComponent("sim.log"))
        defer { simulator.terminate(); simulator.waitUntilExit() }
        try Self.waitForListener(port: port, seconds: 20)

        let names = Array((pairs + (1...max(markets, 1)).map { String(format: "T%02d-USD", $0) }).prefix(markets))
        let config = """
            data_dir: data
            log_dir: logs
            kraken:
              url: ws://127.0.0.1:\(port)/v2
            markets:
            \(names.map { "  - \($0)" }.joined(separator: "\n"))

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

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw ValidationError("cannot find a free port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until something accepts TCP connections on `port`.
    static func waitForListener(port: Int, seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(descriptor)
            if connected { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ValidationError("kraken-sim did not listen on port \(port) within \(seconds) s")
    }
}
