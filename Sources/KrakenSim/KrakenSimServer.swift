import BytebitWebSocket
import Dispatch
import Foundation
import Logging

/// The simulator on a real WebSocket server: ws://127.0.0.1:PORT/v2, or wss with a certificate.
/// Used by `kraken-sim` and, in-process, by tests.
public final class KrakenSimServer: @unchecked Sendable {
    private let server: WebSocketServer
    private let bridge: SimServerBridge
    private var servesOnItsOwnThread = false

    /// The port the server listens on (the system's choice when `options.port` is 0).
    public var port: Int { server.boundPort }
    /// `ws://127.0.0.1:PORT/v2` (or `wss://…`).
    public let url: String

    public init(options: SimOptions, logger: Logger) throws {
        bridge = SimServerBridge()
        var tls: (certificateFile: String, privateKeyFile: String)?
        if let cert = options.tlsCertificatePath, let key = options.tlsKeyPath {
            tls = (cert, key)
        }
        server = try WebSocketServer(
            configuration: WebSocketServerConfiguration(port: options.port, tls: tls, tickInterval: .milliseconds(10)),
            handler: bridge, logger: logger)
        bridge.server = server
        bridge.exchange = try KrakenExchange(options: options, output: bridge, logger: logger)
        url = "\(tls == nil ? "ws" : "wss")://127.0.0.1:\(server.boundPort)/v2"
    }

    /// Serves on the calling thread until `stop()`.
    public func run() {
        server.run()
        bridge.exchange?.shutdown()
    }

    /// Serves on a thread of its own until `stop()`.
    public func start() {
        servesOnItsOwnThread = true
        server.start()
    }

    /// Runs `body` on the server's thread with the exchange (from any other thread) and returns its
    /// result, or nil when the server does not answer within `timeout` (not serving, or stopped).
    /// The exchange is confined to that thread, so live changes go through here.
    public func control<T: Sendable>(
        timeout: Duration = .seconds(5), _ body: @escaping @Sendable (KrakenExchange) -> T
    ) -> T? {
        bridge.perform(timeout: timeout, body)
    }

    /// Stops serving (any thread); the truth files are flushed. False when the loop did not end in time.
    @discardableResult
    public func stop() -> Bool {
        let ended = server.stop()
        // After `run()` returns the exchange is shut down on the thread that ran it; after `start()`,
        // once the loop has ended, here.
        if ended && servesOnItsOwnThread { bridge.exchange?.shutdown() }
        return ended
    }
}

/// Connects the transport-free exchange to the libwebsockets server; both live on the server's thread.
final class SimServerBridge: WebSocketServerHandler, SimOutput {
    // The server keeps its handler alive until its loop ends; the exchange holds this bridge as its
    // output. Weak references back keep that from becoming a cycle.
    weak var server: WebSocketServer?
    var exchange: KrakenExchange?

    func connectionDidOpen(_ id: WebSocketConnectionID) {
        exchange?.connectionOpened(SimConnectionID(id.rawValue))
    }

    func connection(_ id: WebSocketConnectionID, didReceive message: UnsafeRawBufferPointer, isText: Bool) {
        exchange?.received(Array(message), from: SimConnectionID(id.rawValue))
        feedIfStreaming(id)
    }

    func connectionDidClose(_ id: WebSocketConnectionID) {
        exchange?.connectionClosed(SimConnectionID(id.rawValue))
    }

    func connectionIsWritable(_ id: WebSocketConnectionID) {
        feedIfStreaming(id)
    }

    func serverDidTick() {
        runControlCommands()
        exchange?.tick()
    }

    // MARK: - Control from other threads

    private let commandLock = NSLock()
    private var commands: [(KrakenExchange) -> Void] = []

    /// Queues `body` for the next tick (within ~10 ms) and waits for its result.
    func perform<T: Sendable>(timeout: Duration, _ body: @escaping @Sendable (KrakenExchange) -> T) -> T? {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        commandLock.withLock {
            commands.append { exchange in
                box.value = body(exchange)
                done.signal()
            }
        }
        let milliseconds = Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard done.wait(timeout: .now() + .milliseconds(milliseconds)) == .success else { return nil }
        return box.value
    }

    private func runControlCommands() {
        let due = commandLock.withLock {
            let due = commands
            commands.removeAll()
            return due
        }
        guard let exchange else { return }
        for command in due { command(exchange) }
    }

    /// `--unlimited`: produce more as soon as the client has taken what was queued.
    private func feedIfStreaming(_ id: WebSocketConnectionID) {
        guard let exchange, exchange.wantsData(SimConnectionID(id.rawValue)) else { return }
        exchange.connectionWritable(SimConnectionID(id.rawValue))
    }

    func send(_ text: String, to connection: SimConnectionID) {
        _ = server?.send(text: text, to: WebSocketConnectionID(rawValue: connection.rawValue))
    }

    func close(_ connection: SimConnectionID, code: Int, reason: String) {
        _ = server?.close(WebSocketConnectionID(rawValue: connection.rawValue), code: code, reason: reason)
    }

    func drop(_ connection: SimConnectionID) {
        _ = server?.drop(WebSocketConnectionID(rawValue: connection.rawValue))
    }
}

/// Carries a control command's result from the server thread to the waiting one; the semaphore
/// orders the write before the read.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
