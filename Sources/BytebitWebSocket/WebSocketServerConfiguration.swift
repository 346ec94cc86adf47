/// Where and how a `WebSocketServer` listens.
public struct WebSocketServerConfiguration: Sendable, Equatable {
    /// The address to listen on: 127.0.0.1 unless told ("0.0.0.0": every IPv4 interface).
    public var host: String
    /// The TCP port; 0 picks a free one (read it from `boundPort`).
    public var port: Int
    /// PEM certificate (chain) and private key for `wss://`; nil for plain `ws://`.
    public var tls: (certificateFile: String, privateKeyFile: String)?
    /// Call `serverDidTick()` this often; nil for no ticks.
    public var tickInterval: Duration?
    /// Largest client message accepted; beyond it the server closes with 1009.
    public var maximumMessageBytes: Int

    /// A plain or TLS server, on 127.0.0.1 by default.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        tls: (certificateFile: String, privateKeyFile: String)? = nil,
        tickInterval: Duration? = nil,
        maximumMessageBytes: Int = 1 << 20
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.tickInterval = tickInterval
        self.maximumMessageBytes = maximumMessageBytes
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.host == rhs.host && lhs.port == rhs.port && lhs.tls?.certificateFile == rhs.tls?.certificateFile
            && lhs.tls?.privateKeyFile == rhs.tls?.privateKeyFile && lhs.tickInterval == rhs.tickInterval
            && lhs.maximumMessageBytes == rhs.maximumMessageBytes
    }
}
