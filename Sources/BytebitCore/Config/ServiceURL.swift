/// A server address written as a URL (`postgresql://user:secret@host:5432/db?sslmode=require`,
/// `redis://:secret@host:6379/0`). `text` is what the client library gets; `redacted`, with the
/// password replaced by `***`, is what every log line, status file and `bytebit check` shows.
public struct ServiceURL: Sendable, Equatable, CustomStringConvertible {
    /// The URL as written, secret included: for the client library only.
    public let text: String
    /// `postgresql`, `redis`, …
    public let scheme: String
    public let user: String?
    public let password: String?
    /// The host name or address; empty when the URL names none (libpq then uses its Unix socket).
    public let host: String
    public let port: Int?
    /// What follows the authority, without the query: `/market`, `/0`, or empty.
    public let path: String
    /// The query's `key=value` pairs (percent-decoded).
    public let query: [String: String]

    /// Parses `scheme://[user[:password]@]host[:port][/path][?query]`; nil when it is not such a URL.
    public init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        let scheme = String(text[..<schemeEnd.lowerBound])
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return nil }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query: [String: String] = [:]
        if let mark = rest.firstIndex(of: "?") {
            for item in rest[rest.index(after: mark)...].split(separator: "&") {
                let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let key = Self.percentDecoded(parts[0]) else { return nil }
                query[key] = parts.count > 1 ? Self.percentDecoded(parts[1]) ?? "" : ""
            }
            rest = rest[..<mark]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let path = String(rest[authorityEnd...])
        var user: String?
        var password: String?
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = Self.percentDecoded(credentials[..<colon])
                password = Self.percentDecoded(credentials[credentials.index(after: colon)...])
                guard user != nil, password != nil else { return nil }
            } else {
                guard let decoded = Self.percentDecoded(credentials) else { return nil }
                user = decoded
            }
            if user == "" { user = nil }
        }
        var host = authority
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65_535).contains(number) else {
                return nil
            }
            port = number
            host = authority[..<colon]
        }
        guard !host.contains(where: { $0 == " " || $0 == "@" }) else { return nil }
        self.text = text
        self.scheme = scheme
        self.user = user
        self.password = password
        self.host = String(host)
        self.port = port
        self.path = path
        self.query = query
    }

    /// The URL with the password (and any `password=` query value) replaced by `***`.
    public var redacted: String {
        var result = "\(scheme)://"
        if user != nil || password != nil {
            result += user ?? ""
            if password != nil { result += ":***" }
            result += "@"
        }
        result += host
        if let port { result += ":\(port)" }
        result += path
        if !query.isEmpty {
            let items = query.keys.sorted().map { key in
                key == "password" ? "\(key)=***" : "\(key)=\(query[key] ?? "")"
            }
            result += "?" + items.joined(separator: "&")
        }
        return result
    }

    /// Never the secret: printing a `ServiceURL` prints `redacted`.
    public var description: String { redacted }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let first = utf8.index(after: index)
                guard first < utf8.endIndex else { return nil }
                let second = utf8.index(after: first)
                guard second < utf8.endIndex, let high = hexValue(utf8[first]), let low = hexValue(utf8[second])
                else { return nil }
                bytes.append(high << 4 | low)
                index = utf8.index(after: second)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
