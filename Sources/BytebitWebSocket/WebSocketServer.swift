import CWebSockets
import Foundation
import Logging

/// A WebSocket server over libwebsockets, for the simulator, tests, benchmarks and the live feed
/// (whose handler, a `WebSocketHTTPHandler`, answers every request before it becomes a WebSocket).
///
/// Handler callbacks run on the service thread (the one inside `run()`, or the thread `start()` made).
/// `send`, `close`, `disconnect`, `drop`, `requestWritable`, `queuedBytes` and `stop` are safe from any thread.
/// The server keeps `handler` alive until the service loop ends.
public final class WebSocketServer: @unchecked Sendable {
    /// The port actually listened on (useful with port 0).
    public let boundPort: Int
    private let server: OpaquePointer
    private let callbacks: UnsafeMutablePointer<bb_ws_server_callbacks>
    private let box: ServerHandlerBox
    private let logger: Logger
    private let finished = DispatchSemaphore(value: 0)
    private let state = NSLock()
    private var hasStarted = false

    /// Listens now (so `boundPort` is known); serving starts with `run()` or `start()`.
    public init(configuration: WebSocketServerConfiguration, handler: some WebSocketServerHandler, logger: Logger)
        throws
    {
        LibwebsocketsLog.route(to: logger)
        let box = ServerHandlerBox(handler)
        let callbacks = UnsafeMutablePointer<bb_ws_server_callbacks>.allocate(capacity: 1)
        callbacks.initialize(to: Self.callbacks(owner: Unmanaged.passUnretained(box).toOpaque()))
        // Without an HTTP handler, C accepts every upgrade unasked and leaves plain HTTP alone.
        if !(handler is any WebSocketHTTPHandler) { callbacks.pointee.answer = nil }
        var error = [CChar](repeating: 0, count: 256)
        let created: OpaquePointer? = configuration.host.withCString { host in
            withOptionalCString(configuration.tls?.certificateFile) { cert in
                withOptionalCString(configuration.tls?.privateKeyFile) { key in
                    var config = bb_ws_server_config(
                        host: host,
                        port: Int32(clamping: configuration.port),
                        cert_file: cert,
                        key_file: key,
                        tick_interval_ms: configuration.tickInterval?.clampedMilliseconds ?? 0,
                        max_message_bytes: max(configuration.maximumMessageBytes, 0)
                    )
                    return bb_ws_server_create(&config, callbacks, &error, error.count)
                }
            }
        }
        guard let created else {
            callbacks.deallocate()
            let message = error.withUnsafeBytes { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw WebSocketError.serverSetupFailed(message)
        }
        self.server = created
        self.callbacks = callbacks
        self.box = box
        self.logger = logger
        self.boundPort = Int(bb_ws_server_port(created))
        logger.debug("websocket server listening", metadata: ["ws.port": "\(boundPort)"])
    }

    deinit {
        bb_ws_server_destroy(server)
        callbacks.deallocate()
    }

    /// Serves on the calling thread until `stop()`; every connection is closed before it returns.
    public func run() {
        guard claimServiceLoop() else { return }
        serve()
    }

    /// Serves on a new thread; returns at once.
    public func start() {
        guard claimServiceLoop() else { return }
        let thread = Thread { [self] in serve() }
        thread.name = "websocket-server"
        thread.start()
    }

    /// True once: a server has one service loop in its life.
    private func claimServiceLoop() -> Bool {
        state.lock()
        defer { state.unlock() }
        guard !hasStarted else { return false }
        hasStarted = true
        return true
    }

    private func serve() {
        box.markServiceThread()
        withExtendedLifetime(box) { bb_ws_server_run(server) }
        box.handler = nil  // break the server ↔ handler cycle a simulator usually has
        finished.signal()
    }

    /// Ends the service loop; from another thread, also waits until it has ended (up to `timeout`).
    @discardableResult
    public func stop(timeout: Duration = .seconds(5)) -> Bool {
        bb_ws_server_stop(server)
        state.lock()
        let started = hasStarted
        state.unlock()
        guard started, !box.isServiceThread else { return true }
        let waited = finished.wait(timeout: .now() + .milliseconds(Int(timeout.clampedMilliseconds)))
        if waited == .success { finished.signal() }  // later stop() calls return at once too
        return waited == .success
    }

    /// Queues a text message to one connection; false when that connection is gone.
    @discardableResult
    public func send(text: String, to id: WebSocketConnectionID) -> Bool {
        var text = text
        return text.withUTF8 { send($0, to: id) }
    }

    /// Queues UTF-8 bytes as one text message; false when that connection is gone.
    @discardableResult
    public func send(_ utf8: UnsafeBufferPointer<UInt8>, to id: WebSocketConnectionID) -> Bool {
        bb_ws_server_send_text(server, id.rawValue, utf8.baseAddress, utf8.count) == 0
    }

    /// Fault injection: writes bytes with no WebSocket framing (e.g. half a frame before `drop`).
    @discardableResult
    public func sendUnframed(_ bytes: [UInt8], to id: WebSocketConnectionID) -> Bool {
        bytes.withUnsafeBufferPointer { bb_ws_server_send_raw(server, id.rawValue, $0.baseAddress, $0.count) == 0 }
    }

    /// Asks for a `connectionIsWritable` callback once the connection's queue is empty.
    @discardableResult
    public func requestWritable(_ id: WebSocketConnectionID) -> Bool {
        bb_ws_server_request_writable(server, id.rawValue) == 0
    }

    /// Sends a close frame with `code` and `reason` after the queued messages.
    @discardableResult
    public func close(_ id: WebSocketConnectionID, code: Int = 1000, reason: String = "") -> Bool {
        bb_ws_server_close(server, id.rawValue, Int32(clamping: code), reason) == 0
    }

    /// Drops what is queued and closes now with `code` (a client too slow to keep): with the close
    /// frame when the socket takes it, else by closing the TCP connection.
    @discardableResult
    public func disconnect(_ id: WebSocketConnectionID, code: Int, reason: String) -> Bool {
        bb_ws_server_disconnect(server, id.rawValue, Int32(clamping: code), reason) == 0
    }

    /// Bytes queued for one connection and not yet handed to its socket (nil: unknown connection).
    public func queuedBytes(_ id: WebSocketConnectionID) -> Int? {
        let queued = bb_ws_server_queued_bytes(server, id.rawValue)
        return queued < 0 ? nil : Int(queued)
    }

    /// Fault injection: stops reading from the connection, so its pings go unanswered.
    @discardableResult
    public func pauseReading(_ id: WebSocketConnectionID) -> Bool {
        bb_ws_server_pause_reading(server, id.rawValue) == 0
    }

    /// Fault injection: closes the TCP connection after the queued bytes, with no close frame.
    @discardableResult
    public func drop(_ id: WebSocketConnectionID) -> Bool {
        bb_ws_server_drop(server, id.rawValue) == 0
    }

    private static func callbacks(owner: UnsafeMutableRawPointer) -> bb_ws_server_callbacks {
        bb_ws_server_callbacks(
            owner: owner,
            answer: { owner, request, response in
                guard let handler = ServerHandlerBox.from(owner)?.handler as? any WebSocketHTTPHandler,
                    let request, let response
                else { return }
                WebSocketServer.fill(response, with: handler.answer(WebSocketHTTPRequest(request.pointee)))
            },
            did_open: { owner, id, peer in
                ServerHandlerBox.from(owner)?.handler?
                    .connectionDidOpen(WebSocketConnectionID(rawValue: id), peer: peer.map { String(cString: $0) } ?? "")
            },
            did_receive: { owner, id, bytes, length, isText in
                let message = UnsafeRawBufferPointer(start: bytes, count: length)
                ServerHandlerBox.from(owner)?.handler?
                    .connection(WebSocketConnectionID(rawValue: id), didReceive: message, isText: isText != 0)
            },
            did_close: { owner, id in
                ServerHandlerBox.from(owner)?.handler?.connectionDidClose(WebSocketConnectionID(rawValue: id))
            },
            did_receive_close: { owner, id, code in
                ServerHandlerBox.from(owner)?.handler?
                    .connection(WebSocketConnectionID(rawValue: id), didReceiveCloseWithCode: Int(code))
            },
            is_writable: { owner, id in
                ServerHandlerBox.from(owner)?.handler?.connectionIsWritable(WebSocketConnectionID(rawValue: id))
            },
            did_tick: { owner in
                ServerHandlerBox.from(owner)?.handler?.serverDidTick()
            }
        )
    }
}

extension WebSocketServer {
    /// Hands an answer to C, which copies it before the callback returns (left alone: the upgrade goes ahead).
    fileprivate static func fill(_ response: OpaquePointer, with answer: WebSocketHTTPAnswer) {
        guard case .response(let status, let contentType, let body) = answer else { return }
        body.withUnsafeBytes { body in
            _ = bb_ws_response_set(response, Int32(clamping: status), contentType, body.baseAddress, body.count)
        }
    }
}

extension WebSocketHTTPRequest {
    fileprivate init(_ request: bb_ws_request) {
        self.init(
            path: String(cString: request.path), tokenArgument: String(cString: request.token_argument),
            authorization: String(cString: request.authorization), peer: String(cString: request.peer),
            isUpgrade: request.is_upgrade != 0)
    }
}

/// Reaches the handler from C callbacks; `handler` is touched only on the service thread.
private final class ServerHandlerBox: @unchecked Sendable {
    var handler: (any WebSocketServerHandler)?
    private let lock = NSLock()
    private var serviceThread: pthread_t?

    init(_ handler: any WebSocketServerHandler) { self.handler = handler }

    static func from(_ owner: UnsafeMutableRawPointer?) -> ServerHandlerBox? {
        guard let owner else { return nil }
        return Unmanaged<ServerHandlerBox>.fromOpaque(owner).takeUnretainedValue()
    }

    func markServiceThread() {
        lock.lock()
        if serviceThread == nil { serviceThread = pthread_self() }
        lock.unlock()
    }

    var isServiceThread: Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let serviceThread else { return false }
        return pthread_equal(serviceThread, pthread_self()) != 0
    }
}
