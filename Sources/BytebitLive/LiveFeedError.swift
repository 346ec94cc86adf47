/// Why the feed server cannot start or go on.
public enum LiveFeedError: Error, Equatable, CustomStringConvertible {
    case tokenFile(path: String, reason: String)
    case listen(String)
    case uplinkSocket(path: String, reason: String)
    case statusFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .tokenFile(let path, let reason): "token_file \(path): \(reason)"
        case .listen(let message): message
        case .uplinkSocket(let path, let reason): "--live-socket \(path): \(reason)"
        case .statusFile(let path, let reason): "--status-file \(path): \(reason)"
        }
    }
}
