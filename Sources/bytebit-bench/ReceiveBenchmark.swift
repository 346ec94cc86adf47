import BytebitWebSocket
import Foundation
import Logging

/// CPU per message on the receiving side of one pair's book stream at a fixed rate over wss, from a
/// real `kraken-sim` process (`--unlimited`) through a `PacedRelay` that sends one message at a time: (a) the bare transport floor, a `WebSocketClient` that discards every
/// message (its service thread's CPU), and (b) the real `collector` process writing verified rows
/// (its whole process CPU from /proc). Prints both and their ratio.
struct ReceiveBenchmark {
    var rate: Int
    var warmup: Int
    var seconds: Int
    var depth: Int
    var levels: Int
    /// Count the collector's syscalls with `strace -c -f` during the measurement (its CPU figure is then void).
    var traceSyscalls = false
    /// Rounds of floor + full, each printed; with more than one, their medians too.
    var rounds = 1
    /// After the rounds, the real collector's instructions per recorded message under callgrind
    /// (files alone, ws against kraken-sim at `instructionRate`: the CPU-time-free figure).
    var countsInstructions = false
    var instructionRate = 1000

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func run() throws {
        let pki = try BenchmarkCertificate()
        defer { pki.remove() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-bench-receive-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (simulator, simulatorURL) = try startSimulator(pki: pki, folder: folder)
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        let relay = try PacedRelay(
            upstream: simulatorURL, caFile: pki.caFile, certificateFile: pki.certificateFile, keyFile: pki.keyFile,
            rate: Double(rate))
        defer { relay.stop() }
        let url = "wss://127.0.0.1:\(relay.port)/v2"
        var floors: [Double] = []
        var fulls: [Double] = []
        for round in 1...max(rounds, 1) {
            if rounds > 1 { print("round \(round) of \(rounds), load average \(Self.loadAverage)") }
            let floor = try measureFloor(url: url, caFile: pki.caFile)
            let full = try measureCollector(url: url, caFile: pki.caFile, folder: folder, relay: relay)
            print(
                String(
                    format: "receive floor (WebSocketClient, discard):   %d messages in %d s (%.0f msgs/s), %.2f µs CPU per message",
                    floor.messages, seconds, Double(floor.messages) / Double(seconds), floor.microsecondsPerMessage))
            print(
                String(
                    format: "receive full (collector → verified row):    %d messages in %d s (%.0f msgs/s, %d rows), %.2f µs CPU per message",
                    full.messages, seconds, Double(full.messages) / Double(seconds), full.rows, full.microsecondsPerMessage))
            print(
                String(
                    format: "ratio full / floor: %.2f (targets: full ≤ 6 µs, ratio ≤ 2); wss, depth %d, %d levels, %d msgs/s",
                    full.microsecondsPerMessage / max(floor.microsecondsPerMessage, 1e-9), depth, levels, rate))
            floors.append(floor.microsecondsPerMessage)
            fulls.append(full.microsecondsPerMessage)
        }
        if rounds > 1 {
            let ratios = zip(fulls, floors).map { $0 / max($1, 1e-9) }
            print(
                String(
                    format: "median of %d rounds: floor %.2f µs, full %.2f µs, ratio %.2f",
                    rounds, CollectorCPURounds.median(floors), CollectorCPURounds.median(fulls), CollectorCPURounds.median(ratios))
                    + " (floors \(Self.list(floors)); fulls \(Self.list(fulls))); load average \(Self.loadAverage)")
        }
        if countsInstructions {
            let figure = try CollectorInstructions(rate: instructionRate, warmup: 8, seconds: 10, depth: depth, levels: levels)
                .measure(CollectorOutputs())
            print(
                String(
                    format: "callgrind: the collector (every thread, files alone, ws, kraken-sim at %d book msgs/s): %d messages, %.0f instructions per recorded message",
                    instructionRate, figure.messages, figure.perMessage))
        }
    }

    private static func list(_ values: [Double]) -> String {
        values.map { String(format: "%.2f", $0) }.joined(separator: " ")
    }

    static var loadAverage: String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "unknown")
            .split(separator: " ").prefix(3).joined(separator: " ")
    }

    struct Figure {
        var messages: Int
        var rows = 0
        var cpuSeconds: Double
        /// The collector's Redis counters at the end (with Redis on).
        var redis: (sent: Int, dropped: Int)? = nil
        var microsecondsPerMessage: Double { cpuSeconds * 1e6 / Double(max(messages, 1)) }
    }

    /// A `kraken-sim` process built next to this benchmark, serving wss at `rate` book messages/s.
    func startSimulator(pki: BenchmarkCertificate, folder: URL) throws -> (Process, String) {
        let output = folder.appendingPathComponent("sim.out")
        let simulator = try SupervisorBenchmark.launch(
            "kraken-sim",
            ["--port", "0", "--unlimited", "--tls-cert", pki.certificateFile, "--tls-key", pki.keyFile],
            output: output)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
                return (simulator, String(line.dropFirst("listening on ".count)))
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        simulator.terminate()
        throw Failure(description: "kraken-sim did not print its address within 10 s")
    }

    /// The client alone: subscribe to the book and drop every message; CPU of the service thread.
    private func measureFloor(url: String, caFile: String) throws -> Figure {
        var logger = Logger(label: "bytebit.bench.receive")
        logger.logLevel = .warning
        let client = try WebSocketClient(
            configuration: WebSocketClientConfiguration(
                url: try WebSocketURL(url), extraCAFile: caFile, tickInterval: .seconds(1)),
            logger: logger)
        let discarder = DiscardingSubscriber(
            client: client, depth: depth, warmup: Double(warmup), seconds: Double(seconds))
        let ending = client.run(handler: discarder)
        guard let figure = discarder.figure else {
            throw Failure(description: "the floor client ended before its measurement: \(ending)")
        }
        return figure
    }

    /// The real `collector` for one market against the simulator; CPU of its process from /proc.
    func measureCollector(
        url: String, caFile: String, folder: URL, relay: PacedRelay, outputs: CollectorOutputs = CollectorOutputs()
    ) throws -> Figure {
        let configPath = try outputs.writeConfig(in: folder, url: url, caFile: caFile, depth: depth, levels: levels)
        let statusFile = folder.appendingPathComponent("collector.json").path
        try? FileManager.default.removeItem(atPath: statusFile)
        let collector = try SupervisorBenchmark.launch(
            "collector", ["--config", configPath, "--market", "BTC-USD", "--status-file", statusFile] + outputs.arguments,
            output: folder.appendingPathComponent("collector.stderr"))
        defer {
            collector.terminate()
            collector.waitUntilExit()
        }
        Thread.sleep(forTimeInterval: Double(warmup))
        let rowsBefore = rowCount(folder)
        let ticksBefore = SupervisorBenchmark.cpuTicks(collector.processIdentifier)
        let forwardedBefore = relay.messagesForwarded
        let traceFile = folder.appendingPathComponent("strace.txt")
        let tracer = traceSyscalls
            ? try SupervisorBenchmark.launch(
                "/usr/bin/strace", ["-c", "-f", "-p", "\(collector.processIdentifier)", "-o", traceFile.path],
                output: folder.appendingPathComponent("strace.stderr"))
            : nil
        Thread.sleep(forTimeInterval: Double(seconds))
        if let tracer {
            kill(tracer.processIdentifier, SIGINT)
            tracer.waitUntilExit()
        }
        let ticksAfter = SupervisorBenchmark.cpuTicks(collector.processIdentifier)
        let messages = relay.messagesForwarded - forwardedBefore
        let rows = rowCount(folder) - rowsBefore
        guard collector.isRunning, rows > 0 else {
            throw Failure(description: "the collector wrote no rows (see \(folder.path)/collector.stderr)")
        }
        if traceSyscalls {
            let report = (try? String(contentsOf: traceFile, encoding: .utf8)) ?? "(no strace output)"
            print(report)
            let total = report.split(separator: "\n").last { $0.hasSuffix("total") }
                .flatMap { line in line.split(separator: " ").compactMap { Int($0) }.dropLast().last }
            if let total {
                print(String(format: "collector: %d syscalls for %d messages: %.3f per message (CPU figure void under strace)",
                    total, messages, Double(total) / Double(max(messages, 1))))
            }
        }
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        return Figure(
            messages: messages, rows: rows, cpuSeconds: Double(ticksAfter - ticksBefore) / ticksPerSecond,
            redis: redisCounters(statusFile: statusFile))
    }

    private func rowCount(_ folder: URL) -> Int {
        let directory = folder.appendingPathComponent("data/BTC-USD/orderbook")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".csv") }.reduce(0) { total, name in
            let data = (try? Data(contentsOf: directory.appendingPathComponent(name))) ?? Data()
            return total + data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
    }
}

/// Subscribes to BTC/USD's book and drops every message; measures its own thread's CPU from the
/// first tick after the warm-up to the first tick after `seconds` more.
private final class DiscardingSubscriber: WebSocketHandler {
    let client: WebSocketClient
    let depth: Int
    let warmup: Double
    let seconds: Double
    private let started = ProcessInfo.processInfo.systemUptime
    private var received = 0
    private var mark: (at: Double, cpu: Double, received: Int)?
    private(set) var figure: ReceiveBenchmark.Figure?

    init(client: WebSocketClient, depth: Int, warmup: Double, seconds: Double) {
        self.client = client
        self.depth = depth
        self.warmup = warmup
        self.seconds = seconds
    }

    func webSocketDidOpen() {
        client.send(
            text: #"{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":\#(depth)}}"#)
    }

    func webSocketDidReceive(_ message: UnsafeRawBufferPointer, isText: Bool) { received += 1 }

    func webSocketDidTick() {
        let now = ProcessInfo.processInfo.systemUptime
        guard let mark else {
            if now - started >= warmup { self.mark = (now, CPUTime.thread(), received) }
            return
        }
        guard now - mark.at >= seconds, figure == nil else { return }
        let messages = Int(Double(received - mark.received) * seconds / (now - mark.at))
        figure = ReceiveBenchmark.Figure(
            messages: messages, cpuSeconds: (CPUTime.thread() - mark.cpu) * seconds / (now - mark.at))
        client.stop()
    }
}
