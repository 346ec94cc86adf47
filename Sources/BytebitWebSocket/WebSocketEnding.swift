/// Why one `WebSocketClient.run` ended; every run reports exactly one.
public enum WebSocketEnding: Sendable, Equatable, CustomStringConvertible {
    /// The connection could not even be attempted (libwebsockets context, CA file, memory).
    case setupFailed(String)
    /// The host name did not resolve.
    case dnsFailure(String)
    /// Nothing listens on the port (TCP RST).
    case connectionRefused(String)
    /// Another TCP-level connect failure (unreachable network, …).
    case connectFailed(String)
    /// TCP, TLS and the HTTP upgrade did not finish within the connect timeout.
    case connectTimeout
    /// The TLS handshake or certificate verification failed; carries the verifier's message.
    case tlsFailure(String)
    /// The server answered the upgrade request with this HTTP status instead of 101.
    case upgradeFailed(httpStatus: Int)
    /// The server's answer to the upgrade was not a usable HTTP response, or it hung up first.
    case handshakeFailed(String)
    /// The server sent a close frame with this code and reason.
    case peerClosed(code: Int, reason: String)
    /// The connection broke without a close frame (reset, EOF mid-frame, protocol error).
    case abnormalClose(String)
    /// No message arrived within the idle timeout.
    case idleTimeout
    /// A protocol ping was not answered within the ping timeout.
    case pingTimeout
    /// A message exceeded the size cap; the client closed with 1009.
    case messageTooBig(limit: Int)
    /// `stop()` was called.
    case stopped

    public var description: String {
        switch self {
        case .setupFailed(let detail): "could not start the WebSocket connection: \(detail)"
        case .dnsFailure(let detail): "could not resolve the host name (\(detail)); check the URL and DNS"
        case .connectionRefused(let detail): "connection refused (\(detail)); is the server running on that port?"
        case .connectFailed(let detail): "could not connect (\(detail)); check the network"
        case .connectTimeout: "connect timeout: TCP, TLS and the WebSocket upgrade did not finish in time"
        case .tlsFailure(let detail): "TLS failure: \(detail)"
        case .upgradeFailed(let status):
            "the server refused the WebSocket upgrade with HTTP \(status); check the URL path"
        case .handshakeFailed(let detail): "WebSocket handshake failed: \(detail)"
        case .peerClosed(let code, let reason):
            reason.isEmpty
                ? "the server closed the connection (code \(code))"
                : "the server closed the connection (code \(code): \(reason))"
        case .abnormalClose(let detail): "connection lost: \(detail)"
        case .idleTimeout: "no message received within the idle timeout"
        case .pingTimeout: "the server did not answer a ping in time"
        case .messageTooBig(let limit): "a message exceeded the \(limit)-byte limit; closed with 1009"
        case .stopped: "stopped"
        }
    }
}
