/// One market's effective settings: the `defaults:` with this market's overrides applied.
public struct MarketConfig: Sendable, Equatable, Hashable {
    /// Which market.
    public var pair: MarketPair
    /// Kraken book subscription depth: 10, 25, 100, 500 or 1000.
    public var depth: Int
    /// Price levels per side written to the order book CSV, 1 to `depth`.
    public var levels: Int
    /// When an order book row is written.
    public var mode: BookMode
    /// Whether the order book is recorded.
    public var recordsOrderBook: Bool
    /// Whether trades are recorded.
    public var recordsTrades: Bool
    /// Candles built from the recorded trades (SPEC §10), ascending, no duplicates; empty: none.
    public var klines: [KlineInterval]
    /// Whether Kraken's `ticker` channel is recorded (`ticker:`, SPEC §10; subscribed with
    /// `event_trigger: bbo`).
    public var recordsTicker = false
    /// Kraken's own candles at these intervals (`ohlc:`, SPEC §10), shortest first, no repeats.
    public var ohlcIntervals: [OHLCInterval] = []

    /// The depths Kraken's v2 `book` channel accepts.
    public static let allowedDepths = [10, 25, 100, 500, 1000]

    /// A market's settings, as the config mapper or a test builds them.
    public init(
        pair: MarketPair, depth: Int, levels: Int, mode: BookMode, recordsOrderBook: Bool, recordsTrades: Bool,
        klines: [KlineInterval] = []
    ) {
        self.pair = pair
        self.depth = depth
        self.levels = levels
        self.mode = mode
        self.recordsOrderBook = recordsOrderBook
        self.recordsTrades = recordsTrades
        self.klines = Array(Set(klines)).sorted()
    }
}
