import BytebitWebSocket
import Foundation
import Logging
import Testing

/// `kraken-sim` → `collector --live-socket` → `live-feed`, all real processes, in one folder.
final class LiveFeedRun {
    let directory: URL
    let simulator: SimulatorProcess
    let feed: ChildProcess
    let config: URL
    let socketPath: String
    let statusPath: String
    private(set) var collector: CollectorProcess?
    let port: Int
    let token: String

    init(_ label: String, simulatorArguments: [String] = ["--rate", "200"], feedArguments: [String] = []) throws {
        directory = try makeTemporaryDirectory(label)
        simulator = try SimulatorProcess(in: directory, arguments: simulatorArguments)
        config = try writeConfig(
            in: directory, url: simulator.url, defaults: "  depth: 10\n  levels: 10", markets: "  - BTC-USD",
            extra: "live:\n  listen: 127.0.0.1:0\n  token_file: live.token")
        // Unix socket paths are short (108 bytes): keep it under /tmp.
        socketPath = "/tmp/bb-live-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        statusPath = directory.appendingPathComponent("live.json").path
        feed = try ChildProcess(
            "live-feed",
            arguments: ["--config", config.path, "--live-socket", socketPath, "--status-file", statusPath] + feedArguments,
            logDirectory: directory, label: "live-feed")
        var found: Int?
        let statusPath = statusPath, feed = feed
        try waitUntil("live-feed to write its status", seconds: 20) {
            guard feed.isRunning else { throw RecordingProblem("live-feed exited: \(feed.stderr)") }
            found = Self.status(at: statusPath)?["listening"].flatMap { ($0 as? String)?.split(separator: ":").last }
                .flatMap { Int($0) }
            return found != nil
        }
        port = found ?? 0
        token = try String(contentsOf: directory.appendingPathComponent("live.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func startCollector() throws -> CollectorProcess {
        let started = try CollectorProcess(
            config: config, pair: "BTC-USD", in: directory, extraArguments: ["--live-socket", socketPath])
        collector = started
        return started
    }

    var status: [String: Any]? { Self.status(at: statusPath) }

    static func status(at path: String) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    func streamURL(_ query: String) -> String { "ws://127.0.0.1:\(port)/v1/stream\(query)" }

    /// The feed's resident memory now (kB, from /proc).
    var feedResidentKilobytes: Int {
        let text = (try? String(contentsOfFile: "/proc/\(feed.pid)/status", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    func stop() {
        _ = try? collector?.stop()
        feed.signal(SIGTERM)
        _ = try? feed.waitForExit(seconds: 10)
        feed.killIfRunning()
        simulator.stop()
        unlink(socketPath)
    }

    deinit { stop() }
}

/// A real feed client (the project's WebSocket client) on its own thread, keeping every message.
final class LiveStreamClient: WebSocketHandler, @unchecked Sendable {
    let client: WebSocketClient
    private let lock = NSLock()
    private var received: [String] = []
    private var ending: WebSocketEnding?
    private var opened = false

    init(url: String, subscribe: String? = nil) throws {
        var logger = Logger(label: "live-client")
        logger.logLevel = .critical
        client = try WebSocketClient(
            configuration: WebSocketClientConfiguration(url: try WebSocketURL(url), connectTimeout: .seconds(5)),
            logger: logger)
        if let subscribe { client.send(text: subscribe) }
        let thread = Thread { [self] in
            let result = client.run(handler: self)
            lock.withLock { ending = result }
        }
        thread.start()
    }

    func webSocketDidOpen() { lock.withLock { opened = true } }

    func webSocketDidReceive(_ message: UnsafeRawBufferPointer, isText: Bool) {
        let text = String(decoding: message, as: UTF8.self)
        lock.withLock { received.append(text) }
    }

    var end: WebSocketEnding? { lock.withLock { ending } }
    var isOpen: Bool { lock.withLock { opened && ending == nil } }
    var messages: [String] { lock.withLock { received } }
    func stop() { client.stop() }

    /// The messages as JSON objects, in arrival order.
    var objects: [[String: Any]] {
        messages.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func objects(type: String) -> [[String: Any]] { objects.filter { $0["type"] as? String == type } }
}

/// A book message as the order book file's row (SPEC §4.1) without its mid: N bids deepest first
/// as qty, price; then N asks best first; missing levels empty.
func bookRowCells(_ message: [String: Any], levels: Int) throws -> [String] {
    let bids = try #require(message["bids"] as? [[String]])
    let asks = try #require(message["asks"] as? [[String]])
    var cells: [String] = []
    for index in (0..<levels).reversed() { cells += index < bids.count ? [bids[index][1], bids[index][0]] : ["", ""] }
    for index in 0..<levels { cells += index < asks.count ? [asks[index][1], asks[index][0]] : ["", ""] }
    return cells
}

/// An order book row's cells without timestamps and mid.
func rowCellsWithoutMid(_ row: [String], levels: Int) -> [String] {
    var cells = Array(row.dropFirst(2))
    cells.remove(at: levels * 2)
    return cells
}
