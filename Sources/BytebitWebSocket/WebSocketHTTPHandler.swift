/// A server handler that decides every request before anything is sent: a plain HTTP GET gets its
/// answer (e.g. a web page), an upgrade goes ahead or is refused with an HTTP status (e.g. 401) and
/// never becomes a WebSocket. Without one, a `WebSocketServer` accepts every upgrade.
public protocol WebSocketHTTPHandler: WebSocketServerHandler {
    /// Called on the service thread for each request, before any byte of the answer is sent.
    func answer(_ request: WebSocketHTTPRequest) -> WebSocketHTTPAnswer
}

/// One plain HTTP request, or a WebSocket upgrade before it happens ("" for what is absent).
public struct WebSocketHTTPRequest: Sendable, Equatable {
    /// The path, without the query.
    public var path: String
    /// The value of the `token` query argument.
    public var tokenArgument: String
    /// The Authorization header.
    public var authorization: String
    /// The client's address.
    public var peer: String
    /// A WebSocket upgrade, not a plain GET.
    public var isUpgrade: Bool
}

/// What a `WebSocketHTTPHandler` answers.
public enum WebSocketHTTPAnswer: Sendable, Equatable {
    /// Let the upgrade go ahead (to a plain GET: 404).
    case upgrade
    /// Send this small HTTP response (and refuse the upgrade, if it was one).
    case response(status: Int, contentType: String, body: [UInt8])
}
