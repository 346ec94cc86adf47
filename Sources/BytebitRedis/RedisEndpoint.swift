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
