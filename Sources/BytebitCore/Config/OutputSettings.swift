/// The optional outputs beside the files (SPEC §3.2). Each is off without its section (or, for the
/// database and Redis, without `DATABASE_URL` / `REDIS_URL` in the environment).

/// `postgres:` — the loader child loads every recorded row into this database (SPEC §8).
public struct PostgresOutput: Sendable, Equatable {
    public var url: ServiceURL
    public init(url: ServiceURL) { self.url = url }
}

/// `redis:` — every verified row is published to this server (SPEC §9).
public struct RedisOutput: Sendable, Equatable {
    public var url: ServiceURL
    public init(url: ServiceURL) { self.url = url }
}

/// `live:` — the authenticated WebSocket feed and web page (SPEC §9).
public struct LiveOutput: Sendable, Equatable {
    /// The address `listen:` names (`127.0.0.1`, `0.0.0.0`, `::1`).
    public var host: String
    public var port: Int
    /// The file holding the clients' token (absolute); created, random and mode 0600, when missing.
    public var tokenFile: String
    /// With both set (absolute paths), the feed is served as `wss://`.
    public var tlsCert: String?
    public var tlsKey: String?

    public init(host: String, port: Int, tokenFile: String, tlsCert: String? = nil, tlsKey: String? = nil) {
        self.host = host
        self.port = port
        self.tokenFile = tokenFile
        self.tlsCert = tlsCert
        self.tlsKey = tlsKey
    }

    /// `ws://HOST:PORT` or `wss://HOST:PORT` (an IPv6 host in brackets).
    public var baseURL: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(tlsCert == nil ? "ws" : "wss")://\(shownHost):\(port)"
    }
}
