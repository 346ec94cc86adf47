import CWebSockets
import Logging

/// The libwebsockets major version this build links against.
public let libwebsocketsMajorVersion = Int(bb_ws_version_major())

/// A WebSocket client over libwebsockets: `run` owns the calling thread until the connection ends.
///
/// Reusable: each `run` is a fresh connection (one libwebsockets context per run). `send(text:)` and
/// `stop()` are safe from any thread; everything else happens on the thread inside `run`.
/// `stop()` is final: the current run ends with `.stopped`, and so does every later one.
public final class WebSocketClient: @unchecked Sendable {
    /// The settings every run uses.
    public let configuration: WebSocketClientConfiguration
    private let logger: Logger
    // The C client is internally synchronised: its queue and stop flag sit behind a mutex.
    let client: OpaquePointer

    /// Creates a client; libwebsockets' own log lines go to `logger` from now on.
    public init(configuration: WebSocketClientConfiguration, logger: Logger) throws {
        guard let client = bb_ws_client_create() else { throw WebSocketError.outOfMemory }
        self.configuration = configuration
        self.logger = logger
        self.client = client
        LibwebsocketsLog.route(to: logger)
    }

    deinit {
        bb_ws_client_destroy(client)
    }

    /// Connects, calls `handler` on this thread, and returns why the connection ended. One run at a time.
    public func run(handler: some WebSocketHandler) -> WebSocketEnding {
        let box = HandlerBox(handler)
        let owner = Unmanaged.passUnretained(box).toOpaque()
        var callbacks = bb_ws_client_callbacks(
            owner: owner,
            did_open: { owner in
                guard let owner else { return }
                Unmanaged<HandlerBox>.fromOpaque(owner).takeUnretainedValue().handler.webSocketDidOpen()
            },
            did_receive: { owner, bytes, length, isText in
                guard let owner else { return }
                let message = UnsafeRawBufferPointer(start: bytes, count: length)
                Unmanaged<HandlerBox>.fromOpaque(owner).takeUnretainedValue().handler
                    .webSocketDidReceive(message, isText: isText != 0)
            }
        )
        let url = configuration.url
        logger.debug("websocket connecting", metadata: ["ws.url": "\(url)"])
        var ending = bb_ws_ending()
        url.host.withCString { host in
            url.path.withCString { path in
                withOptionalCString(configuration.extraCAFile) { caFile in
                    var config = bb_ws_client_config(
                        host: host,
                        port: Int32(url.port),
                        path: path,
                        use_tls: url.isSecure ? 1 : 0,
                        extra_ca_file: caFile,
                        // lws's own handshake timeouts must never beat our connect deadline.
                        lws_timeout_secs: configuration.connectTimeout.clampedMilliseconds / 1000 + 10,
                        max_message_bytes: max(configuration.maximumMessageBytes, 0),
                        rx_buffer_bytes: max(configuration.receiveBufferBytes, 4096),
                        coalesce_us: configuration.coalescingMicroseconds
                    )
                    withExtendedLifetime(box) {
                        let clock = ContinuousClock()
                        let start = clock.now
                        if bb_ws_client_open(client, &config, &callbacks, &ending) == 0 {
                            serviceUntilEnded(handler: box.handler, clock: clock, start: start)
                        }
                        bb_ws_client_finish(client)
                    }
                }
            }
        }
        let result = WebSocketEnding(ending, maximumMessageBytes: configuration.maximumMessageBytes)
        logger.debug("websocket ended", metadata: ["ws.url": "\(url)", "ws.ending": "\(result)"])
        return result
    }

    /// Queues a text message; it goes out once the connection is open. Safe from any thread.
    /// Messages still queued when a run ends are dropped.
    public func send(text: String) {
        var text = text
        text.withUTF8 { bytes in
            if bb_ws_client_send_text(client, bytes.baseAddress, bytes.count) != 0 {
                logger.warning("websocket send dropped: out of memory", metadata: ["ws.bytes": "\(bytes.count)"])
            }
        }
    }

    /// The open connection is read by the shim's own frame reader (libwebsockets connected, verified
    /// TLS, upgraded and delivered the first messages). Any thread; for tests and diagnostics.
    var readsDirectly: Bool { bb_ws_client_reads_directly(client) != 0 }

    /// The direct reader's socket (or TLS) reads in the current run. Any thread; for tests.
    var directReads: UInt64 { bb_ws_client_direct_reads(client) }

    /// How often the direct reader handed what it read to its frame parser in the current run (all
    /// the records OpenSSL holds go at once). Any thread; for tests.
    var directBatches: UInt64 { bb_ws_client_direct_batches(client) }

    /// Ends the current run promptly (close 1000 when open, abandon when still connecting) and all later runs.
    public func stop() {
        bb_ws_client_stop(client)
    }

    /// Ends the current run like `stop()` (it reports `.stopped`), but a later `run` connects again:
    /// for the caller's own reasons to drop a connection (stale feed, resync by reconnect).
    public func closeConnection() {
        bb_ws_client_close(client)
    }
}

/// Holds the handler as an existential so the C callbacks (which cannot be generic) can reach it.
private final class HandlerBox {
    let handler: any WebSocketHandler
    init(_ handler: any WebSocketHandler) { self.handler = handler }
}

/// Calls `body` with a C string for `text`, or NULL when `text` is nil.
func withOptionalCString<Result>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> Result) -> Result {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}

extension WebSocketEnding {
    /// Translates the C shim's ending record.
    init(_ ending: bb_ws_ending, maximumMessageBytes: Int) {
        var record = ending
        let detail = withUnsafeBytes(of: &record.detail) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        switch ending.kind {
        case BB_WS_END_DNS_FAILURE: self = .dnsFailure(detail)
        case BB_WS_END_CONNECTION_REFUSED: self = .connectionRefused(detail)
        case BB_WS_END_CONNECT_FAILED: self = .connectFailed(detail)
        case BB_WS_END_CONNECT_TIMEOUT: self = .connectTimeout
        case BB_WS_END_TLS_FAILURE: self = .tlsFailure(detail)
        case BB_WS_END_UPGRADE_FAILED: self = .upgradeFailed(httpStatus: Int(ending.code))
        case BB_WS_END_HANDSHAKE_FAILED: self = .handshakeFailed(detail)
        case BB_WS_END_PEER_CLOSED: self = .peerClosed(code: Int(ending.code), reason: detail)
        case BB_WS_END_ABNORMAL_CLOSE: self = .abnormalClose(detail)
        case BB_WS_END_IDLE_TIMEOUT: self = .idleTimeout
        case BB_WS_END_PING_TIMEOUT: self = .pingTimeout
        case BB_WS_END_MESSAGE_TOO_BIG: self = .messageTooBig(limit: maximumMessageBytes)
        case BB_WS_END_STOPPED: self = .stopped
        case BB_WS_END_SETUP_FAILED: self = .setupFailed(detail)
        default: self = .abnormalClose(detail.isEmpty ? "ended without a reason" : detail)
        }
    }
}
