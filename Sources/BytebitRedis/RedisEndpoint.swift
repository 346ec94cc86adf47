import BytebitCore

/// Where the publisher connects and how it logs in: from the config's `redis.url` (or `REDIS_URL`),
/// `redis://[[user]:password@]host[:port][/db]`. `redacted` is the URL with the password replaced by
/// `***`: the only form of it that goes into a log line or a status file.
public struct RedisEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// A Redis 6 ACL user; nil logs in as `default` (plain `AUTH password`).
    public var user: String?
    public var password: String?
    /// The database number (`SELECT`); publishing does not depend on it, but a bad one is an error.
    public var database: Int
    /// The URL for people: the password replaced by `***`.
    public var redacted: String

    public static let defaultPort = 6379

    /// From the config's URL. `rediss://` is refused: Debian's hiredis 0.14 is built without TLS.
    public init(url: ServiceURL) throws(RedisEndpointError) {
        guard url.scheme == "redis" else { throw .tlsUnsupported(url: url.redacted) }
        let databaseText = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        guard databaseText.isEmpty || Int(databaseText).map({ $0 >= 0 }) == true else {
            throw .badDatabase(url: url.redacted, found: databaseText)
        }
        self.init(host: url.host.isEmpty ? "localhost" : url.host, port: url.port ?? Self.defaultPort, user: url.user,
                  password: url.password, database: Int(databaseText) ?? 0)
        redacted = url.redacted
    }

    public init(host: String, port: Int = defaultPort, user: String? = nil, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        let login = password == nil ? (user.map { "\($0)@" } ?? "") : "\(user ?? ""):***@"
        redacted = "redis://\(login)\(host):\(port)/\(database)"
    }

    /// `host:port`, for error texts.
    public var address: String { "\(host):\(port)" }
}

/// A `redis.url` the publisher cannot use (a configuration error: the collector exits 78).
public enum RedisEndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    case tlsUnsupported(url: String)
    case badDatabase(url: String, found: String)

    public var description: String {
        switch self {
        case .tlsUnsupported(let url):
            "redis.url: \(url): rediss:// (TLS) is not supported: the hiredis bytebit links (Debian libhiredis 0.14) "
                + "has no TLS; use redis:// (on a trusted network, or through a TLS tunnel such as stunnel)"
        case .badDatabase(let url, let found):
            "redis.url: \(url): the path must be a database number (e.g. /0), found /\(found)"
        }
    }
}
