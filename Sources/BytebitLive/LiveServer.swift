import BytebitWebSocket
import CWebSockets
import Foundation
import Logging

/// The feed's network side over libwebsockets (`bb_live_server`): asks the gate about every request,
/// hands client events to the hub, and is the hub's `LiveClientOutput`. The only file of this module
/// that touches the C shim.
public final class LiveServer: LiveClientOutput, @unchecked Sendable {
    public let boundPort: Int
    private let server: OpaquePointer
    private let callbacks: UnsafeMutablePointer<bb_live_server_callbacks>
    private let context: Context
    private let finished = DispatchSemaphore(value: 0)

    /// Where it listens and with what (TLS when both files are given).
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        public var certificateFile: String?
        public var privateKeyFile: String?

        public init(host: String, port: Int, certificateFile: String? = nil, privateKeyFile: String? = nil) {
            self.host = host
            self.port = port
            self.certificateFile = certificateFile
            self.privateKeyFile = privateKeyFile
        }
    }

    /// What the C callbacks reach: the gate, the hub, and the page's bytes at stable addresses.
    fileprivate final class Context: @unchecked Sendable {
        let gate: LiveAccessGate
        let hub: LiveHub
        let logger: Logger
        let bodies: [String: UnsafeMutableRawBufferPointer]
        let refusals = NSLock()

        init(gate: LiveAccessGate, hub: LiveHub, logger: Logger) {
            self.gate = gate
            self.hub = hub
            self.logger = logger
            var bodies: [String: UnsafeMutableRawBufferPointer] = [:]
            for (path, file) in gate.page.files {
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(file.bytes.count, 1), alignment: 1)
                buffer.copyBytes(from: file.bytes)
                bodies[path] = buffer
            }
            self.bodies = bodies
        }

        deinit { for buffer in bodies.values { buffer.deallocate() } }

        static func from(_ owner: UnsafeMutableRawPointer?) -> Context? {
            owner.map { Unmanaged<Context>.fromOpaque($0).takeUnretainedValue() }
        }
    }

    public init(settings: Settings, gate: LiveAccessGate, hub: LiveHub, logger: Logger) throws(LiveFeedError) {
        LibwebsocketsLog.route(to: logger)
        let context = Context(gate: gate, hub: hub, logger: logger)
        let callbacks = UnsafeMutablePointer<bb_live_server_callbacks>.allocate(capacity: 1)
        callbacks.initialize(to: Self.callbacks(owner: Unmanaged.passUnretained(context).toOpaque()))
        var error = [CChar](repeating: 0, count: 256)
        let created: OpaquePointer? = settings.host.withCString { host in
            Self.withOptionalCString(settings.certificateFile) { cert in
                Self.withOptionalCString(settings.privateKeyFile) { key in
                    var config = bb_live_server_config(
                        host: host, port: Int32(clamping: settings.port), cert_file: cert, key_file: key,
                        tick_interval_ms: 10, max_message_bytes: LiveSubscription.maximumMessageBytes)
                    return bb_live_server_create(&config, callbacks, &error, error.count)
                }
            }
        }
        guard let created else {
            callbacks.deallocate()
            throw .listen(error.withUnsafeBytes { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
        }
        self.server = created
        self.callbacks = callbacks
        self.context = context
        self.boundPort = Int(bb_live_server_port(created))
        hub.attach(self)
    }

    deinit {
        bb_live_server_destroy(server)
        callbacks.deallocate()
    }

    /// Serves on a thread of its own until `stop()`.
    public func start() {
        let thread = Thread { [self] in
            withExtendedLifetime(context) { bb_live_server_run(server) }
            finished.signal()
        }
        thread.name = "live-server"
        thread.start()
    }

    /// Ends the service loop (every connection is closed) and waits for it, up to `timeout`.
    @discardableResult
    public func stop(timeout: Duration = .seconds(5)) -> Bool {
        bb_live_server_stop(server)
        let (seconds, attoseconds) = timeout.components
        let waited = finished.wait(timeout: .now() + .milliseconds(Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000)))
        if waited == .success { finished.signal() }
        return waited == .success
    }

    // MARK: - LiveClientOutput

    @discardableResult
    public func send(_ bytes: [UInt8], to id: UInt64) -> Bool {
        bytes.withUnsafeBytes { bb_live_server_send_text(server, id, $0.baseAddress, $0.count) == 0 }
    }

    public func requestWritable(_ id: UInt64) {
        bb_live_server_request_writable(server, id)
    }

    public func disconnect(_ id: UInt64, code: Int, reason: String) {
        bb_live_server_disconnect(server, id, Int32(clamping: code), reason)
    }

    /// Bytes queued in the server for one client and not yet handed to its socket (nil: unknown).
    public func queuedBytes(_ id: UInt64) -> Int? {
        let queued = bb_live_server_queued_bytes(server, id)
        return queued < 0 ? nil : Int(queued)
    }

    // MARK: - C callbacks

    private static func callbacks(owner: UnsafeMutableRawPointer) -> bb_live_server_callbacks {
        bb_live_server_callbacks(
            owner: owner,
            answer: { owner, request, response in
                guard let context = Context.from(owner), let request, let response else { return }
                context.answer(request.pointee, into: response)
            },
            did_open: { owner, id, peer in
                Context.from(owner)?.hub.clientOpened(id, peer: peer.map { String(cString: $0) } ?? "")
            },
            did_receive: { owner, id, bytes, length, _ in
                let message = bytes.map { Array(UnsafeRawBufferPointer(start: $0, count: length)) } ?? []
                Context.from(owner)?.hub.client(id, sent: message)
            },
            did_close: { owner, id in Context.from(owner)?.hub.clientClosed(id) },
            is_writable: { owner, id in Context.from(owner)?.hub.clientIsWritable(id) },
            did_tick: { owner in Context.from(owner)?.hub.tick() }
        )
    }

    private static func withOptionalCString<R>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
        guard let text else { return body(nil) }
        return text.withCString { body($0) }
    }
}

extension LiveServer.Context {
    /// One request's answer, filled into the C response (bodies point at `bodies`, which outlive it).
    fileprivate func answer(_ request: bb_live_request, into response: UnsafeMutablePointer<bb_live_http_response>) {
        let path = String(cString: request.path)
        let peer = String(cString: request.peer)
        let answer = gate.answer(
            path: path, tokenArgument: String(cString: request.token_argument),
            authorization: String(cString: request.authorization), isUpgrade: request.is_upgrade != 0)
        switch answer {
        case .upgrade:
            response.pointee.status = 0
        case .file(let file):
            let body = bodies[path == "/" ? "/index.html" : path]
            response.pointee.status = 200
            response.pointee.content_type = Self.contentTypePointer(file.contentType)
            response.pointee.body = UnsafeRawPointer(body?.baseAddress)
            response.pointee.body_length = file.bytes.count
        case .status(let status, let text):
            if status == 401 {
                hub.noteRefused()
                // The address and what was missing; never the token.
                logger.warning("refused a request without a valid token", metadata: [
                    "client": "\(peer)", "path": "\(path)", "http.status": "401",
                ])
            }
            response.pointee.status = Int32(status)
            response.pointee.content_type = Self.contentTypePointer("text/plain; charset=utf-8")
            let body = Self.statusBodies.body(for: text)
            response.pointee.body = UnsafeRawPointer(body.baseAddress)
            response.pointee.body_length = body.count
        }
    }

    /// Content types live for the process (a handful of constants).
    private static func contentTypePointer(_ type: String) -> UnsafePointer<CChar>? {
        statusBodies.cString(for: type)
    }

    private static let statusBodies = InternedTexts()
}

/// Texts interned for the process's life, for C to read after the Swift call returned.
private final class InternedTexts: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String: UnsafeMutableBufferPointer<CChar>] = [:]

    func cString(for text: String) -> UnsafePointer<CChar>? {
        UnsafePointer(buffer(for: text).baseAddress)
    }

    func body(for text: String) -> UnsafeRawBufferPointer {
        let buffer = buffer(for: text)
        return UnsafeRawBufferPointer(start: buffer.baseAddress, count: buffer.count - 1)
    }

    private func buffer(for text: String) -> UnsafeMutableBufferPointer<CChar> {
        lock.withLock {
            if let known = texts[text] { return known }
            let utf8 = Array(text.utf8CString)
            let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: utf8.count)
            _ = buffer.initialize(from: utf8)
            texts[text] = buffer
            return buffer
        }
    }
}
