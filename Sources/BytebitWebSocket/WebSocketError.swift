/// Failures to set up the transport, reported before any connection exists.
public enum WebSocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not a usable `ws://` or `wss://` URL.
    case invalidURL(String, reason: String)
    /// The server could not listen (port in use, certificate or key unreadable).
    case serverSetupFailed(String)
    /// The C side could not allocate its state.
    case outOfMemory

    public var description: String {
        switch self {
        case .invalidURL(let text, let reason):
            "invalid WebSocket URL '\(text)': \(reason); expected ws://host[:port]/path or wss://host[:port]/path"
        case .serverSetupFailed(let detail): "could not start the WebSocket server: \(detail)"
        case .outOfMemory: "out of memory creating the WebSocket transport"
        }
    }
}
