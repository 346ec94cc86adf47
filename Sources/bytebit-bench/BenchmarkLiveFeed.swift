import BytebitWebSocket
import Foundation
import Logging

/// A real `live-feed` process listening on a Unix socket for collectors, with `clients` WebSocket
/// clients subscribed to every pair and channel that count what they get.
final class BenchmarkLiveFeed {
    let socket: String
    private let process: Process
    private let clients: [CountingFeedClient]

    init(folder: URL, clients count: Int) throws {
        socket = "/tmp/bytebit-bench-live-\(getpid()).sock"
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
        process = try SupervisorBenchmark.launch(
            "live-feed", ["--config", feedConfig.path, "--live-socket", socket, "--status-file", status],
            output: folder.appendingPathComponent("live-feed.stderr"))
        do {
            let port = try Self.waitForPort(statusFile: status)
            let token = try String(contentsOfFile: "\(folder.path)/live.token", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            clients = try (0..<count).map { _ in
                try CountingFeedClient(url: "ws://127.0.0.1:\(port)/v1/stream?token=\(token)")
            }
        } catch {
            process.terminate()
            process.waitUntilExit()
            throw error
        }
    }

    /// Messages every client got so far, summed.
    var received: Int { clients.reduce(0) { $0 + $1.received } }

    func stop() {
        for client in clients { client.stop() }
        process.terminate()
        process.waitUntilExit()
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
