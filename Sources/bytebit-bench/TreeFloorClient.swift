import BytebitWebSocket
import Foundation
import Logging

/// The tree floor's child process (`bytebit-bench tree-floor-client`): one bare `WebSocketClient` per
/// group of symbols, each on its own thread, subscribed to the group's books and trades as a group
/// collector subscribes (one request per channel and 50 symbols), discarding every frame. Each
/// connection writes its frame count to a file once a second (`TreeFloorCount`), for the parent.
enum TreeFloorClient {
    static func run(url: String, depth: Int, countFolder: String, groups: [[String]]) throws -> Never {
        let address = try WebSocketURL(url)
        for (index, symbols) in groups.enumerated() {
            let path = "\(countFolder)/\(getpid())-\(index).count"
            let thread = Thread {
                var logger = Logger(label: "bytebit.bench.tree-floor")
                logger.logLevel = .warning
                guard
                    let client = try? WebSocketClient(
                        configuration: WebSocketClientConfiguration(url: address, tickInterval: .seconds(1), coalescingDelay: .zero),
                        logger: logger)
                else { return }
                let handler = TreeFloorDiscarder(client: client, symbols: symbols, depth: depth, countPath: path)
                _ = client.run(handler: handler)
            }
            thread.start()
        }
        while true { pause() }
    }
}

/// Subscribes to its symbols' books and trades and counts every frame (heartbeats apart).
private final class TreeFloorDiscarder: WebSocketHandler {
    let client: WebSocketClient
    let symbols: [String]
    let depth: Int
    let count: TreeFloorCount
    private var frames = 0
    private var heartbeats = 0

    init(client: WebSocketClient, symbols: [String], depth: Int, countPath: String) {
        self.client = client
        self.symbols = symbols
        self.depth = depth
        self.count = TreeFloorCount(path: countPath)
    }

    func webSocketDidOpen() {
        for start in stride(from: 0, to: symbols.count, by: 50) {
            let list = symbols[start..<min(start + 50, symbols.count)].map { "\"\($0)\"" }.joined(separator: ",")
            client.send(text: #"{"method":"subscribe","params":{"channel":"book","symbol":[\#(list)],"depth":\#(depth)}}"#)
            client.send(text: #"{"method":"subscribe","params":{"channel":"trade","symbol":[\#(list)]}}"#)
        }
    }

    func webSocketDidReceive(_ message: UnsafeRawBufferPointer, isText: Bool) {
        frames += 1
        if message.count == Self.heartbeat.count, message.elementsEqual(Self.heartbeat) { heartbeats += 1 }
    }

    func webSocketDidTick() { count.write(frames: frames, heartbeats: heartbeats) }

    private static let heartbeat = Array(#"{"channel":"heartbeat"}"#.utf8)
}

/// A connection's frame counts in a small file the parent reads: "FRAMES HEARTBEATS", fixed width,
/// rewritten in place.
struct TreeFloorCount {
    let path: String
    private let descriptor: Int32

    init(path: String) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT, 0o644)
    }

    func write(frames: Int, heartbeats: Int) {
        let text = String(format: "%20d %20d\n", frames, heartbeats)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    /// Data frames (every frame but heartbeats) counted in the files of `folder` so far.
    static func dataFrames(in folder: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".count") }.reduce(0) { total, name in
            let text = (try? String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8)) ?? ""
            let numbers = text.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            return total + (numbers.count == 2 ? numbers[0] - numbers[1] : 0)
        }
    }
}
