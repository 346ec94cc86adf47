import Foundation

/// What a collector reports about itself, rewritten about every second to
/// `<run_dir>/markets/<PAIR>.json`: the supervisor's heartbeat and `bytebit status`'s source.
public struct CollectorStatus: Sendable, Equatable, Codable {
    /// Rows appended to today's files, per file kind.
    public struct RowCounts: Sendable, Equatable, Codable {
        /// Rows in today's order book file.
        public var orderbook: Int
        /// Rows in today's trades file.
        public var trades: Int
        /// Rows in today's events file.
        public var events: Int
        /// Rows in today's klines files, over every interval (absent in older status files: 0).
        public var klines: Int
        /// Rows in today's ticker file, when the market records the ticker (SPEC §10).
        public var ticker: Int?
        /// Rows in today's files of Kraken's candles (all intervals), when the market records them.
        public var ohlc: Int?

        /// Counts as given.
        public init(orderbook: Int = 0, trades: Int = 0, events: Int = 0, klines: Int = 0) {
            self.orderbook = orderbook
            self.trades = trades
            self.events = events
            self.klines = klines
        }

        enum CodingKeys: String, CodingKey {
            case orderbook, trades, events, klines, ticker, ohlc
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            orderbook = try container.decode(Int.self, forKey: .orderbook)
            trades = try container.decode(Int.self, forKey: .trades)
            events = try container.decode(Int.self, forKey: .events)
            klines = try container.decodeIfPresent(Int.self, forKey: .klines) ?? 0
            ticker = try container.decodeIfPresent(Int.self, forKey: .ticker)
            ohlc = try container.decodeIfPresent(Int.self, forKey: .ohlc)
        }

        /// `klines` only when there are candle rows, so a market without `klines:` reports as before.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(orderbook, forKey: .orderbook)
            try container.encode(trades, forKey: .trades)
            try container.encode(events, forKey: .events)
            if klines > 0 { try container.encode(klines, forKey: .klines) }
            try container.encodeIfPresent(ticker, forKey: .ticker)
            try container.encodeIfPresent(ohlc, forKey: .ohlc)
        }
    }

    /// The pair, e.g. `BTC-USD`.
    public var market: String
    /// The collector's process id.
    public var pid: Int32
    /// The collector's own view of its feed, e.g. `connecting`, `live`, `resyncing`.
    public var state: String
    /// When this collector process started.
    public var startedAt: UTCTimestamp
    /// When this status was written: the heartbeat.
    public var updatedAt: UTCTimestamp
    /// When the last WebSocket message arrived; nil before the first one.
    public var lastMessageAt: UTCTimestamp?
    /// Rows written today.
    public var rowsToday: RowCounts
    /// Book messages whose checksum did not match, since start.
    public var checksumFailures: Int
    /// Reconnections since start.
    public var reconnects: Int
    /// Rows that could not be written since start (full disk, unwritable folder, writer backlog).
    public var rowsLost: Int = 0
    /// The last write error's text, nil if writing never failed.
    public var lastWriteError: String?
    /// When the last write error happened.
    public var lastWriteErrorAt: UTCTimestamp?
    /// Whether the last write attempt failed (rows are being lost right now).
    public var isLosingRows: Bool = false
    /// Connection attempts that failed in a row (0 while connected).
    public var failedConnectionAttempts: Int = 0
    /// Why the last connection attempt or connection ended; nil if none yet.
    public var lastConnectionError: String?
    /// Publishing to Redis, when the config has a `redis` section.
    public var redis: OutputStatus?

    /// A status as given.
    public init(
        market: String, pid: Int32, state: String, startedAt: UTCTimestamp, updatedAt: UTCTimestamp,
        lastMessageAt: UTCTimestamp? = nil, rowsToday: RowCounts = RowCounts(), checksumFailures: Int = 0,
        reconnects: Int = 0
    ) {
        self.market = market
        self.pid = pid
        self.state = state
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.lastMessageAt = lastMessageAt
        self.rowsToday = rowsToday
        self.checksumFailures = checksumFailures
        self.reconnects = reconnects
    }

    enum CodingKeys: String, CodingKey {
        case market, pid, state
        case startedAt = "started_at"
        case updatedAt = "updated_at"
        case lastMessageAt = "last_message_at"
        case rowsToday = "rows_today"
        case checksumFailures = "checksum_failures"
        case reconnects
        case rowsLost = "rows_lost"
        case lastWriteError = "last_write_error"
        case lastWriteErrorAt = "last_write_error_at"
        case isLosingRows = "losing_rows"
        case failedConnectionAttempts = "failed_connection_attempts"
        case lastConnectionError = "last_connection_error"
        case redis
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        market = try container.decode(String.self, forKey: .market)
        pid = try container.decode(Int32.self, forKey: .pid)
        state = try container.decode(String.self, forKey: .state)
        startedAt = try container.decodeTimestamp(forKey: .startedAt)
        updatedAt = try container.decodeTimestamp(forKey: .updatedAt)
        lastMessageAt = try container.decodeTimestampIfPresent(forKey: .lastMessageAt)
        rowsToday = try container.decode(RowCounts.self, forKey: .rowsToday)
        checksumFailures = try container.decode(Int.self, forKey: .checksumFailures)
        reconnects = try container.decode(Int.self, forKey: .reconnects)
        rowsLost = try container.decodeIfPresent(Int.self, forKey: .rowsLost) ?? 0
        lastWriteError = try container.decodeIfPresent(String.self, forKey: .lastWriteError)
        lastWriteErrorAt = try container.decodeTimestampIfPresent(forKey: .lastWriteErrorAt)
        isLosingRows = try container.decodeIfPresent(Bool.self, forKey: .isLosingRows) ?? false
        failedConnectionAttempts = try container.decodeIfPresent(Int.self, forKey: .failedConnectionAttempts) ?? 0
        lastConnectionError = try container.decodeIfPresent(String.self, forKey: .lastConnectionError)
        redis = try container.decodeIfPresent(OutputStatus.self, forKey: .redis)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(market, forKey: .market)
        try container.encode(pid, forKey: .pid)
        try container.encode(state, forKey: .state)
        try container.encodeTimestamp(startedAt, forKey: .startedAt)
        try container.encodeTimestamp(updatedAt, forKey: .updatedAt)
        try container.encodeTimestamp(lastMessageAt, forKey: .lastMessageAt)
        try container.encode(rowsToday, forKey: .rowsToday)
        try container.encode(checksumFailures, forKey: .checksumFailures)
        try container.encode(reconnects, forKey: .reconnects)
        try container.encode(rowsLost, forKey: .rowsLost)
        try container.encodeIfPresent(lastWriteError, forKey: .lastWriteError)
        try container.encodeTimestamp(lastWriteErrorAt, forKey: .lastWriteErrorAt)
        try container.encode(isLosingRows, forKey: .isLosingRows)
        try container.encode(failedConnectionAttempts, forKey: .failedConnectionAttempts)
        try container.encodeIfPresent(lastConnectionError, forKey: .lastConnectionError)
        try container.encodeIfPresent(redis, forKey: .redis)
    }

    /// Reads the status a collector last wrote to `path`.
    public static func read(from path: String) throws(SupervisorError) -> CollectorStatus {
        try AtomicFile.readJSON(CollectorStatus.self, from: path, what: "collector status")
    }
}
