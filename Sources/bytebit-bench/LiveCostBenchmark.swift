import BytebitWebSocket
import Foundation
import Logging

/// What the live feed costs the collector: its process CPU per message (the `receive` benchmark's
/// collector measurement) with files alone, and with `--live-socket` to a real `live-feed` that has
/// two clients subscribed to every pair and channel. Rounds alternate, so a busy machine's drift
/// falls on both; the medians and their ratio are printed (target: at most +20%).
struct LiveCostBenchmark {
    var receive: ReceiveBenchmark
    var rounds: Int

    func run() throws {
        let pki = try BenchmarkCertificate()
        defer { pki.remove() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-bench-live-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (simulator, simulatorURL) = try receive.startSimulator(pki: pki, folder: folder)
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        let relay = try PacedRelay(
            upstream: simulatorURL, caFile: pki.caFile, certificateFile: pki.certificateFile, keyFile: pki.keyFile,
            rate: Double(receive.rate))
        defer { relay.stop() }
        let url = "wss://127.0.0.1:\(relay.port)/v2"
        var filesAlone: [Double] = []
        var withLive: [Double] = []
        var clientMessages = 0
        for round in 1...rounds {
            let files = try receive.measureCollector(url: url, caFile: pki.caFile, folder: folder, relay: relay)
            filesAlone.append(files.microsecondsPerMessage)
            let (live, received) = try measureWithLive(url: url, caFile: pki.caFile, folder: folder, relay: relay)
            withLive.append(live.microsecondsPerMessage)
            clientMessages += received
            print(String(format: "round %d: files alone %.2f µs/msg, with live sink + 2 clients %.2f µs/msg",
                         round, files.microsecondsPerMessage, live.microsecondsPerMessage))
        }
        let alone = Self.median(filesAlone), live = Self.median(withLive)
        print(String(
            format: "collector CPU per message (median of %d): files alone %.2f µs, with the live sink and two feed clients %.2f µs: %+.1f%% (target ≤ +20%%); %d msgs/s, depth %d, %d levels; the clients got %d messages",
            rounds, alone, live, (live / max(alone, 1e-9) - 1) * 100, receive.rate, receive.depth, receive.levels,
            clientMessages))
    }

    /// One collector measurement with a `live-feed` process and two clients reading everything.
    private func measureWithLive(url: String, caFile: String, folder: URL, relay: PacedRelay) throws
        -> (ReceiveBenchmark.Figure, Int)
    {
        let socket = "/tmp/bytebit-bench-live-\(getpid()).sock"
        let feedConfig = folder.appendingPathComponent("live-config.yaml")
        try Data("""
            log_dir: \(folder.path)/logs
            log_level: warning
            markets:
              - BTC-USD
            live:
              listen: 127.0.0.1:0
              token_file: \(folder.path)/live.token

            """.utf8).write(to: feedConfig)
        let status = folder.appendingPathComponent("live.json").path
        try? FileManager.default.removeItem(atPath: status)
        let feed = try SupervisorBenchmark.launch(
            "live-feed", ["--config", feedConfig.path, "--live-socket", socket, "--status-file", status],
            output: folder.appendingPathComponent("live-feed.stderr"))
        defer {
            feed.terminate()
            feed.waitUntilExit()
        }
        let port = try Self.waitForPort(statusFile: status)
        let token = try String(contentsOfFile: "\(folder.path)/live.token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let clients = try (0..<2).map { _ in try CountingFeedClient(url: "ws://127.0.0.1:\(port)/v1/stream?token=\(token)") }
        defer { for client in clients { client.stop() } }
        let figure = try receive.measureCollector(
            url: url, caFile: caFile, folder: folder, relay: relay, extraArguments: ["--live-socket", socket])
        return (figure, clients.reduce(0) { $0 + $1.received })
    }

    private static func waitForPort(statusFile: String) throws -> Int {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let data = FileManager.default.contents(atPath: statusFile),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let listening = object["listening"] as? String, let port = Int(listening.split(separator: ":").last ?? "")
            {
                return port
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ReceiveBenchmark.Failure(description: "live-feed wrote no status within 10 s")
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}

/// A feed client subscribed to everything that counts what it gets.
private final class CountingFeedClient: WebSocketHandler, @unchecked Sendable {
    let client: WebSocketClient
    private let lock = NSLock()
    private var count = 0

    init(url: String) throws {
        var logger = Logger(label: "bytebit.bench.live")
        logger.logLevel = .warning
        client = try WebSocketClient(configuration: WebSocketClientConfiguration(url: try WebSocketURL(url)), logger: logger)
        client.send(text: #"{"op":"subscribe","pairs":["*"]}"#)
        let thread = Thread { [self] in _ = client.run(handler: self) }
        thread.start()
    }

    func webSocketDidReceive(_ message: UnsafeRawBufferPointer, isText: Bool) { lock.withLock { count += 1 } }
    var received: Int { lock.withLock { count } }
    func stop() { client.stop() }
}
