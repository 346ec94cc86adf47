import Logging

/// Decides each HTTP request and WebSocket upgrade before anything is sent: the stream needs the
/// token (else HTTP 401 and a log line with the client's address, never the token); the page's
/// files are public (they hold no data, and the page asks for the token itself).
public struct LiveAccessGate: Sendable {
    /// The stream's path (SPEC §9).
    public static let streamPath = "/v1/stream"

    public let token: LiveToken
    public let page: LivePage

    public init(token: LiveToken, page: LivePage = .bundled) {
        self.token = token
        self.page = page
    }

    public enum Answer: Equatable, Sendable {
        /// Upgrade to the stream.
        case upgrade
        case file(LivePage.File)
        case status(Int, String)
    }

    public func answer(path: String, tokenArgument: String, authorization: String, isUpgrade: Bool) -> Answer {
        if path == Self.streamPath {
            guard token.accepts(tokenArgument: tokenArgument, authorization: authorization) else {
                return .status(401, "a valid token is required (Authorization: Bearer TOKEN, or ?token=TOKEN)\n")
            }
            return isUpgrade ? .upgrade : .status(426, "this is a WebSocket endpoint\n")
        }
        if !isUpgrade, let file = page.file(at: path) { return .file(file) }
        return .status(404, "not found\n")
    }
}
