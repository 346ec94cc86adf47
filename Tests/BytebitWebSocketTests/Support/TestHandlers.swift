import BytebitWebSocket
import Foundation
import Logging

/// What a test client saw.
struct ClientRecord {
    var opened = false
    var messages: [[UInt8]] = []
    var textFlags: [Bool] = []
    var ticks = 0
    /// What the handler answers to `nextWakeUp`, and how often it was asked (once or twice per service pass).
    var wakeUp: WebSocketWakeUp = .everyTickInterval
    /// When set, the handler's own deadline: it answers with the time left until it (as a feed would).
    var deadline: ContinuousClock.Instant?
    var wakeUpQuestions = 0
}

/// A client handler that records everything and can react to the open.
final class RecordingClientHandler: WebSocketHandler, @unchecked Sendable {
    let record = Guarded(ClientRecord())
    var onOpen: (() -> Void)?
    /// Called on the service thread after each message is recorded, with the count so far.
    var onMessage: ((Int) -> Void)?

    func webSocketDidOpen() {
        record.mutate { $0.opened = true }
        onOpen?()
    }

    func webSocketDidReceive(_ message: UnsafeRawBufferPointer, isText: Bool) {
        let bytes = [UInt8](message)
        let count = record.mutate {
            $0.messages.append(bytes)
            $0.textFlags.append(isText)
            return $0.messages.count
        }
        onMessage?(count)
    }

    func webSocketDidTick() {
        record.mutate {
            $0.ticks += 1
            // A handler's deadline is done with once it ticked at it; then nothing more is due.
            if let deadline = $0.deadline, ContinuousClock.now >= deadline {
                $0.deadline = nil
                $0.wakeUp = .never
            }
        }
    }

    var nextWakeUp: WebSocketWakeUp {
        record.mutate {
            $0.wakeUpQuestions += 1
            if let deadline = $0.deadline { return .after(deadline - ContinuousClock.now) }
            return $0.wakeUp
        }
    }

    var texts: [String] { record.read { $0.messages.map { String(decoding: $0, as: UTF8.self) } } }
}

/// What a test server saw.
struct ServerRecord {
    var opened: [WebSocketConnectionID] = []
    var closed: [WebSocketConnectionID] = []
    /// Close codes the clients sent, in order.
    var closeCodes: [Int] = []
    var received: [String] = []
}

/// A server handler that records events, echoes text when asked, and runs a script on open.
final class ScriptedServerHandler: WebSocketServerHandler, @unchecked Sendable {
    let record = Guarded(ServerRecord())
    /// Set before the server starts; called on the service thread.
    var onOpen: ((WebSocketConnectionID) -> Void)?
    var echoes = true
    weak var server: WebSocketServer?

    func connectionDidOpen(_ id: WebSocketConnectionID) {
        record.mutate { $0.opened.append(id) }
        onOpen?(id)
    }

    func connection(_ id: WebSocketConnectionID, didReceive message: UnsafeRawBufferPointer, isText: Bool) {
        let text = String(decoding: message, as: UTF8.self)
        record.mutate { $0.received.append(text) }
        if echoes { server?.send(text: text, to: id) }
    }

    func connection(_ id: WebSocketConnectionID, didReceiveCloseWithCode code: Int) {
        record.mutate { $0.closeCodes.append(code) }
    }

    func connectionDidClose(_ id: WebSocketConnectionID) {
        record.mutate { $0.closed.append(id) }
    }
}

/// A started server with its handler; stops when the test is done.
struct RunningServer {
    let server: WebSocketServer
    let handler: ScriptedServerHandler

    init(
        tls: (certificateFile: String, privateKeyFile: String)? = nil,
        configure: (ScriptedServerHandler) -> Void = { _ in }
    ) throws {
        let handler = ScriptedServerHandler()
        configure(handler)
        let server = try WebSocketServer(
            configuration: WebSocketServerConfiguration(tls: tls),
            handler: handler,
            logger: testLogger
        )
        handler.server = server
        server.start()
        self.server = server
        self.handler = handler
    }

    var url: String { "ws://127.0.0.1:\(server.boundPort)/v2" }
    var secureURL: String { "wss://127.0.0.1:\(server.boundPort)/v2" }

    func stop() { server.stop() }
}

let testLogger: Logger = {
    var logger = Logger(label: "bytebit.websocket.tests")
    logger.logLevel = .info
    return logger
}()

/// Runs `client` on its own thread; the ending arrives in the returned box.
func runInBackground(_ client: WebSocketClient, handler: RecordingClientHandler) -> Eventually<WebSocketEnding> {
    let ending = Eventually<WebSocketEnding>()
    let thread = Thread {
        ending.fulfil(client.run(handler: handler))
    }
    thread.start()
    return ending
}

/// A client for `url` with test-sized timeouts.
func makeClient(
    _ url: String,
    caFile: String? = nil,
    // Generous: the TLS suites timed out now and then under the whole suite at load 7-11 on two
    // cores. A deadline, not a wait; a test that expects the timeout sets its own.
    connectTimeout: Duration = .seconds(15),
    idleTimeout: Duration? = nil,
    pingInterval: Duration? = nil,
    pingTimeout: Duration = .seconds(5),
    maximumMessageBytes: Int = 16 << 20,
    coalescingDelay: Duration = .zero
) throws -> WebSocketClient {
    let configuration = WebSocketClientConfiguration(
        url: try WebSocketURL(url),
        extraCAFile: caFile,
        connectTimeout: connectTimeout,
        idleTimeout: idleTimeout,
        pingInterval: pingInterval,
        pingTimeout: pingTimeout,
        tickInterval: .milliseconds(20),
        maximumMessageBytes: maximumMessageBytes,
        coalescingDelay: coalescingDelay
    )
    return try WebSocketClient(configuration: configuration, logger: testLogger)
}

/// A WebSocket frame as a server writes it (unmasked), for fault injection with `sendUnframed`.
func serverFrame(opcode: UInt8, final: Bool, payload: [UInt8], declaredLength: Int? = nil) -> [UInt8] {
    let length = declaredLength ?? payload.count
    var frame: [UInt8] = [(final ? 0x80 : 0) | opcode]
    if length < 126 {
        frame.append(UInt8(length))
    } else if length < 65536 {
        frame += [126, UInt8(length >> 8), UInt8(length & 0xff)]
    } else {
        frame.append(127)
        for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((length >> shift) & 0xff)) }
    }
    return frame + payload
}
