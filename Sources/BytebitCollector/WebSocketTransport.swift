import BytebitWebSocket
import Logging

/// The real transport: a `WebSocketClient` (libwebsockets) behind the recorder's transport seam.
public final class WebSocketTransport: RecorderTransport, @unchecked Sendable {
    private let client: WebSocketClient

    public init(configuration: WebSocketClientConfiguration, logger: Logger) throws {
        client = try WebSocketClient(configuration: configuration, logger: logger)
    }

    public func runConnection(handler: any RecorderTransportHandler) -> TransportEnding {
        let ending = client.run(handler: Bridge(handler))
        return TransportEnding(ending.description)
    }

    public func send(text: String) { client.send(text: text) }

    public func closeConnection() { client.closeConnection() }

    public func stop() { client.stop() }

    /// Forwards the client's callbacks (text or binary alike) to the recorder.
    private final class Bridge: WebSocketHandler {
        let handler: any RecorderTransportHandler

        init(_ handler: any RecorderTransportHandler) { self.handler = handler }

        func webSocketDidOpen() { handler.transportDidOpen() }

        func webSocketDidReceive(_ message: UnsafeRawBufferPointer, isText: Bool) {
            handler.transportDidReceive(message)
        }

        func webSocketDidTick() { handler.transportDidTick() }

        /// Idle costs nothing: the client sleeps until the recorder's next deadline, not every 100 ms.
        var nextWakeUp: WebSocketWakeUp {
            handler.microsecondsUntilNextTick.map { .after(.microseconds($0)) } ?? .never
        }
    }
}
