import Logging

/// A validated `config.yaml` (SPEC §3): every path absolute, every market's settings resolved.
public struct BytebitConfig: Sendable, Equatable {
    /// The absolute path of the file this was read from, if it came from a file.
    public var sourcePath: String?
    /// Where the CSV files go (absolute).
    public var dataDirectory: String
    /// Where `bytebit.log` goes (absolute).
    public var logDirectory: String
    /// The least severe level that is logged.
    public var logLevel: Logger.Level
    /// The WebSocket endpoint and its trust settings.
    public var kraken: KrakenEndpoint
    /// How often written rows are handed to the operating system, in microseconds.
    public var flushIntervalMicroseconds: Int64
    /// Whether finished days are gzip-compressed in the background.
    public var compressFinishedDays: Bool
    /// The markets listed in `markets:`, in file order; no pair twice; empty only with `all_markets`.
    public var markets: [MarketConfig]
    /// `all_markets:` when present: every online Kraken pair it admits is recorded too.
    public var allMarkets: AllMarketsFilter?
    /// The settings a market not listed in `markets:` gets (the defaults), with a placeholder pair.
    public var defaultMarket: MarketConfig
    /// `postgres:` (or `DATABASE_URL`): the loader child runs while set.
    public var postgres: PostgresOutput?
    /// `redis:` (or `REDIS_URL`): collectors publish verified rows while set.
    public var redis: RedisOutput?
    /// `live:`: the feed server child runs while set.
    public var live: LiveOutput?

    /// A config built in code (tests, tools); `ConfigLoader` builds the ones read from files.
    public init(sourcePath: String? = nil, dataDirectory: String, logDirectory: String, logLevel: Logger.Level = .info,
                kraken: KrakenEndpoint = KrakenEndpoint(), flushIntervalMicroseconds: Int64 = 1_000_000,
                compressFinishedDays: Bool = true, markets: [MarketConfig], allMarkets: AllMarketsFilter? = nil,
                defaultMarket: MarketConfig? = nil) {
        self.sourcePath = sourcePath
        self.dataDirectory = dataDirectory
        self.logDirectory = logDirectory
        self.logLevel = logLevel
        self.kraken = kraken
        self.flushIntervalMicroseconds = flushIntervalMicroseconds
        self.compressFinishedDays = compressFinishedDays
        self.markets = markets
        self.allMarkets = allMarkets
        self.defaultMarket = defaultMarket
            ?? MarketConfig(
                pair: ConfigMapper.templatePair, depth: MarketSettingsLayer.defaultDepth,
                levels: MarketSettingsLayer.defaultLevels, mode: .update, recordsOrderBook: true, recordsTrades: true)
    }

    /// The settings of `pair`, or nil when the config does not list it.
    public func market(_ pair: MarketPair) -> MarketConfig? {
        markets.first { $0.pair == pair }
    }
}
