import Foundation

/// What `bytebit run` writes to `<run_dir>/state.json` about every second: its own identity and each
/// market's place in the restart cycle. `bytebit status` joins it with the collectors' own files.
public struct SupervisorState: Sendable, Equatable, Codable {
    /// Where a market is in the supervisor's cycle.
    public enum Phase: String, Sendable, Equatable, Codable {
        /// Its collector is running.
        case running
        /// It exited and will be started again at `nextStartAt`.
        case waiting
        /// It exited 64 or 78 and waits for a configuration change.
        case held
        /// It was asked to stop (shutdown, reload) and has not exited yet.
        case stopping
    }

    /// One market as the supervisor sees it.
    public struct Market: Sendable, Equatable, Codable {
        /// The pair, e.g. `BTC-USD`.
        public var market: String
        /// Where it is in the cycle.
        public var phase: Phase
        /// The running collector's pid.
        public var pid: Int32?
        /// When the running collector started.
        public var startedAt: UTCTimestamp?
        /// Restarts since the supervisor started (or since the market was added).
        public var restarts: Int
        /// How the previous collector ended, for people.
        public var lastExit: String?
        /// When a waiting market starts again.
        public var nextStartAt: UTCTimestamp?
        /// Why a held market is held: its collector's exit and last error line.
        public var heldReason: String?
        /// The group of the collector that carries it, when that collector carries several markets.
        public var collector: String?

        /// A market entry as given.
        public init(
            market: String, phase: Phase, pid: Int32? = nil, startedAt: UTCTimestamp? = nil, restarts: Int = 0,
            lastExit: String? = nil, nextStartAt: UTCTimestamp? = nil, heldReason: String? = nil,
            collector: String? = nil
        ) {
            self.market = market
            self.phase = phase
            self.pid = pid
            self.startedAt = startedAt
            self.restarts = restarts
            self.lastExit = lastExit
            self.nextStartAt = nextStartAt
            self.heldReason = heldReason
            self.collector = collector
        }

        enum CodingKeys: String, CodingKey {
            case market, phase, pid, restarts, collector
            case startedAt = "started_at"
            case lastExit = "last_exit"
            case nextStartAt = "next_start_at"
            case heldReason = "held_reason"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            market = try container.decode(String.self, forKey: .market)
            phase = try container.decode(Phase.self, forKey: .phase)
            pid = try container.decodeIfPresent(Int32.self, forKey: .pid)
            startedAt = try container.decodeTimestampIfPresent(forKey: .startedAt)
            restarts = try container.decode(Int.self, forKey: .restarts)
            lastExit = try container.decodeIfPresent(String.self, forKey: .lastExit)
            nextStartAt = try container.decodeTimestampIfPresent(forKey: .nextStartAt)
            heldReason = try container.decodeIfPresent(String.self, forKey: .heldReason)
            collector = try container.decodeIfPresent(String.self, forKey: .collector)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(market, forKey: .market)
            try container.encode(phase, forKey: .phase)
            try container.encode(pid, forKey: .pid)
            try container.encodeTimestamp(startedAt, forKey: .startedAt)
            try container.encode(restarts, forKey: .restarts)
            try container.encode(lastExit, forKey: .lastExit)
            try container.encodeTimestamp(nextStartAt, forKey: .nextStartAt)
            try container.encodeIfPresent(heldReason, forKey: .heldReason)
            try container.encodeIfPresent(collector, forKey: .collector)
        }
    }

    /// The supervisor's pid.
    public var pid: Int32
    /// When the supervisor started.
    public var startedAt: UTCTimestamp
    /// When this state was written.
    public var updatedAt: UTCTimestamp
    /// The config file it runs.
    public var configPath: String
    /// Every market it supervises, in config order.
    public var markets: [Market]

    /// A state as given.
    public init(pid: Int32, startedAt: UTCTimestamp, updatedAt: UTCTimestamp, configPath: String, markets: [Market]) {
        self.pid = pid
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.configPath = configPath
        self.markets = markets
    }

    enum CodingKeys: String, CodingKey {
        case pid, markets
        case startedAt = "started_at"
        case updatedAt = "updated_at"
        case configPath = "config_path"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pid = try container.decode(Int32.self, forKey: .pid)
        startedAt = try container.decodeTimestamp(forKey: .startedAt)
        updatedAt = try container.decodeTimestamp(forKey: .updatedAt)
        configPath = try container.decode(String.self, forKey: .configPath)
        markets = try container.decode([Market].self, forKey: .markets)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pid, forKey: .pid)
        try container.encodeTimestamp(startedAt, forKey: .startedAt)
        try container.encodeTimestamp(updatedAt, forKey: .updatedAt)
        try container.encode(configPath, forKey: .configPath)
        try container.encode(markets, forKey: .markets)
    }

    /// Rewrites `path` atomically.
    public func write(to path: String) throws(SupervisorError) {
        try AtomicFile.writeJSON(self, to: path, what: "state")
    }

    /// Reads the state a supervisor last wrote to `path`.
    public static func read(from path: String) throws(SupervisorError) -> SupervisorState {
        try AtomicFile.readJSON(SupervisorState.self, from: path, what: "supervisor state file")
    }

    /// The one-line summary: `3/3 markets running, 2 restarts`.
    public var summary: String {
        Self.summary(of: markets)
    }

    /// The one-line summary of `markets`: `3/3 markets running, 2 restarts, 1 held by a configuration error`.
    public static func summary(of markets: [Market]) -> String {
        let running = markets.filter { $0.phase == .running }.count
        let held = markets.filter { $0.phase == .held }.count
        let waiting = markets.filter { $0.phase == .waiting }.count
        // A grouped collector's restarts show on each of its markets: count them once per collector.
        var restartsByCollector: [String: Int] = [:]
        for market in markets { restartsByCollector[market.collector ?? market.market] = market.restarts }
        let restarts = restartsByCollector.values.reduce(0, +)
        var text = "\(running)/\(markets.count) markets running, \(restarts) restart\(restarts == 1 ? "" : "s")"
        if waiting > 0 { text += ", \(waiting) waiting to restart" }
        if held > 0 { text += ", \(held) held by a configuration error" }
        return text
    }
}
