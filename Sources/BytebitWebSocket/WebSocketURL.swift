/// A parsed `ws://` or `wss://` URL: what the client needs to connect.
public struct WebSocketURL: Sendable, Equatable, CustomStringConvertible {
    /// True for `wss://` (TLS with certificate and host-name verification).
    public let isSecure: Bool
    /// The host name or address, without brackets for IPv6.
    public let host: String
    /// The TCP port (80 / 443 when the URL names none).
    public let port: Int
    /// The request path including any query, starting with `/`.
    public let path: String

    /// Parses `ws[s]://host[:port][/path]`; throws `WebSocketError.invalidURL` saying what is wrong.
    public init(_ text: String) throws {
        func invalid(_ reason: String) -> WebSocketError { .invalidURL(text, reason: reason) }
        let lowered = text.lowercased()
        let rest: Substring
        if lowered.hasPrefix("wss://") {
            isSecure = true
            rest = text.dropFirst(6)
        } else if lowered.hasPrefix("ws://") {
            isSecure = false
            rest = text.dropFirst(5)
        } else {
            throw invalid("the scheme must be ws:// or wss://")
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let remainder = rest[authorityEnd...]
        if remainder.contains("#") { throw invalid("fragments (#…) are not allowed") }
        if authority.contains("@") { throw invalid("user information is not supported") }
        path = remainder.isEmpty ? "/" : (remainder.hasPrefix("/") ? String(remainder) : "/" + remainder)

        var hostPart = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid("unclosed [ in the IPv6 address") }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("unexpected text after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw invalid("the host is missing") }
        host = String(hostPart)
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw invalid("the port must be a number from 1 to 65535")
            }
            port = number
        } else {
            port = isSecure ? 443 : 80
        }
    }

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(isSecure ? "wss" : "ws")://\(shownHost):\(port)\(path)"
    }
}
