import BytebitWebSocket
import Foundation
import Logging

/// The feed's network side: a `WebSocketServer` whose every request the gate answers first (the
/// token before the upgrade, else 401; the page's files over HTTP), handing client events to the hub,
/// and the hub's `LiveClientOutput`.
public final class LiveServer: LiveClientOutput, @unchecked Sendable {
    public var boundPort: Int { server.boundPort }
    private let server: WebSocketServer

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

    public init(settings: Settings, gate: LiveAccessGate, hub: LiveHub, logger: Logger) throws(LiveFeedError) {
        var tls: (certificateFile: String, privateKeyFile: String)?
        if let certificate = settings.certificateFile, let key = settings.privateKeyFile { tls = (certificate, key) }
        let configuration = WebSocketServerConfiguration(
            host: settings.host, port: settings.port, tls: tls, tickInterval: .milliseconds(10),
            maximumMessageBytes: LiveSubscription.maximumMessageBytes)
        do {
            server = try WebSocketServer(
                configuration: configuration, handler: LiveServerHandler(gate: gate, hub: hub, logger: logger),
                logger: logger)
        } catch WebSocketError.serverSetupFailed(let message) {
            throw .listen(message)
        } catch {
            throw .listen("\(error)")
        }
        hub.attach(self)
    }

    /// Serves on a thread of its own until `stop()`.
    public func start() { server.start() }

    /// Ends the service loop (every connection is closed) and waits for it, up to `timeout`.
    @discardableResult
    public func stop(timeout: Duration = .seconds(5)) -> Bool { server.stop(timeout: timeout) }

    // MARK: - LiveClientOutput

    @discardableResult
    public func send(_ bytes: [UInt8], to id: UInt64) -> Bool {
        bytes.withUnsafeBufferPointer { server.send($0, to: WebSocketConnectionID(rawValue: id)) }
    }

    public func requestWritable(_ id: UInt64) {
        server.requestWritable(WebSocketConnectionID(rawValue: id))
    }

    public func disconnect(_ id: UInt64, code: Int, reason: String) {
        server.disconnect(WebSocketConnectionID(rawValue: id), code: code, reason: reason)
    }

    /// Bytes queued in the server for one client and not yet handed to its socket (nil: unknown).
    public func queuedBytes(_ id: UInt64) -> Int? { server.queuedBytes(WebSocketConnectionID(rawValue: id)) }
}

/// The server's events, on its service thread: requests to the gate, clients to the hub.
private final class LiveServerHandler: WebSocketHTTPHandler {
    let gate: LiveAccessGate
    let hub: LiveHub
    let logger: Logger

    init(gate: LiveAccessGate, hub: LiveHub, logger: Logger) {
        self.gate = gate
        self.hub = hub
        self.logger = logger
    }

    func answer(_ request: WebSocketHTTPRequest) -> WebSocketHTTPAnswer {
        let answer = gate.answer(
            path: request.path, tokenArgument: request.tokenArgument, authorization: request.authorization,
            isUpgrade: request.isUpgrade)
        switch answer {
        case .upgrade:
            return .upgrade
        case .file(let file):
            return .response(status: 200, contentType: file.contentType, body: file.bytes)
        case .status(let status, let text):
            if status == 401 {
                hub.noteRefused()
                // The address and what was missing; never the token.
                logger.warning("refused a request without a valid token", metadata: [
                    "client": "\(request.peer)", "path": "\(request.path)", "http.status": "401",
                ])
            }
            return .response(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
        }
    }

    func connectionDidOpen(_ id: WebSocketConnectionID, peer: String) { hub.clientOpened(id.rawValue, peer: peer) }

    func connection(_ id: WebSocketConnectionID, didReceive message: UnsafeRawBufferPointer, isText: Bool) {
        hub.client(id.rawValue, sent: Array(message))
    }

    func connectionDidClose(_ id: WebSocketConnectionID) { hub.clientClosed(id.rawValue) }

    func connectionIsWritable(_ id: WebSocketConnectionID) { hub.clientIsWritable(id.rawValue) }

    func serverDidTick() { hub.tick() }
}
