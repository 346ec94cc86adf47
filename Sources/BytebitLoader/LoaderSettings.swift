import BytebitCore

/// What a loader loads and how much at a time.
public struct LoaderSettings: Sendable {
    /// The data directory (absolute).
    public var dataDirectory: String
    /// Only these pairs (folder names, `BTC-USD`); nil: every pair folder.
    public var pairs: Set<String>?
    /// Only days from/to (UTC day numbers, inclusive); nil: no bound.
    public var fromDay: Int64?
    public var toDay: Int64?
    /// A batch (one transaction) holds at most this many rows or bytes of file text.
    public var batchRows = 50_000
    public var batchBytes = 32 << 20
    /// Connections a back-fill (`bytebit load`) uses, one batch in flight on each: the server's work per
    /// book row (its JSONB arrays) is then spread over as many of its cores.
    public var backfillConnections = 2
    /// The config's book mode of a pair, for `type` when the ledger does not say.
    public var bookMode: @Sendable (String) -> BookMode

    public init(dataDirectory: String, pairs: Set<String>? = nil, fromDay: Int64? = nil, toDay: Int64? = nil,
                bookMode: @escaping @Sendable (String) -> BookMode = { _ in .update }) {
        self.dataDirectory = dataDirectory
        self.pairs = pairs
        self.fromDay = fromDay
        self.toDay = toDay
        self.bookMode = bookMode
    }

    /// The settings for a config: its data directory and each market's mode.
    public init(config: BytebitConfig) {
        let modes = Dictionary(config.markets.map { ($0.pair.name, $0.mode) }, uniquingKeysWith: { first, _ in first })
        let fallback = config.defaultMarket.mode
        self.init(dataDirectory: config.dataDirectory, bookMode: { pair in modes[pair] ?? fallback })
    }
}

/// Rows loaded and rejected, per stream.
public struct LoadCounts: Sendable, Equatable {
    public var loaded: [RecordedStream: Int] = [:]
    public var rejected: [RecordedStream: Int] = [:]

    public init() {}

    public var totalLoaded: Int { loaded.values.reduce(0, +) }
}
