import BytebitCore

/// How fast the simulated markets move.
public enum SimPace: Sendable, Hashable {
    /// Market steps per pair per second of real time (each step is at most one book message per subscription).
    case messagesPerSecond(Double)
    /// One market step per subscribed pair each time a connection can take more data.
    case unlimited
}

/// Everything that shapes one run of the simulator.
public struct SimOptions: Sendable {
    /// TCP port of `ws://127.0.0.1:PORT/v2`.
    public var port: Int
    /// PEM certificate for wss; nil serves plain ws.
    public var tlsCertificatePath: String?
    /// PEM private key for wss.
    public var tlsKeyPath: String?
    /// Seed of every random choice: the same seed and the same calls give the same frames.
    public var seed: UInt64
    /// Market speed.
    public var pace: SimPace
    /// Sim time at start; nil starts at the real time.
    public var start: UTCTimestamp?
    /// Sim seconds per real second (sim time = start + elapsed real time × speed).
    public var speed: Double
    /// Folder for the truth files (`book-truth.jsonl`, `trade-truth.jsonl`); nil writes none.
    public var truthDirectory: String?
    /// Injected failures.
    public var faults: [SimFaultRule]
    /// The listed pairs.
    public var pairs: [SimPair]
    /// Kraken's connection limit, enforced; nil accepts every connection (attempts are still counted).
    public var connectionLimit: SimConnectionLimit?

    /// Options with defaults: 100 messages/s per pair, real time, no faults, every catalog pair.
    public init(
        port: Int = 8080,
        tlsCertificatePath: String? = nil,
        tlsKeyPath: String? = nil,
        seed: UInt64 = 1,
        pace: SimPace = .messagesPerSecond(100),
        start: UTCTimestamp? = nil,
        speed: Double = 1,
        truthDirectory: String? = nil,
        faults: [SimFaultRule] = [],
        pairs: [SimPair] = SimPair.catalog,
        connectionLimit: SimConnectionLimit? = nil
    ) {
        self.port = port
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
        self.seed = seed
        self.pace = pace
        self.start = start
        self.speed = speed
        self.truthDirectory = truthDirectory
        self.faults = faults
        self.pairs = pairs
        self.connectionLimit = connectionLimit
    }

    /// Checks values a user can get wrong on the command line.
    public func validate() throws(SimError) {
        guard (0...65535).contains(port) else {
            throw .invalidOption(name: "port", value: "\(port)", allowed: "0...65535 (0: any free port)")
        }
        guard speed > 0, speed.isFinite else {
            throw .invalidOption(name: "speed", value: "\(speed)", allowed: "a number > 0")
        }
        if case .messagesPerSecond(let rate) = pace, !(rate > 0 && rate.isFinite) {
            throw .invalidOption(name: "rate", value: "\(rate)", allowed: "a number > 0, or --unlimited")
        }
        if (tlsCertificatePath == nil) != (tlsKeyPath == nil) {
            throw .invalidOption(name: "tls", value: "only one of --tls-cert/--tls-key", allowed: "both or neither")
        }
        if let limit = connectionLimit {
            guard limit.attempts >= 1 else {
                throw .invalidOption(name: "connection-limit", value: "\(limit.attempts)", allowed: "an integer >= 1")
            }
            guard limit.windowSeconds > 0, limit.windowSeconds.isFinite, limit.banSeconds >= 0,
                limit.banSeconds.isFinite
            else {
                throw .invalidOption(
                    name: "connection-window/ban", value: "\(limit.windowSeconds)s/\(limit.banSeconds)s",
                    allowed: "window > 0 s, ban >= 0 s")
            }
        }
        guard !pairs.isEmpty else { throw .invalidOption(name: "pairs", value: "none", allowed: "at least one pair") }
        for rule in faults {
            try rule.fault.validate()
        }
    }
}
