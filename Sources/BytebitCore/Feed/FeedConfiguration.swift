/// What one market's feed subscribes to, and the timing policy it follows.
public struct FeedConfiguration: Sendable, Equatable {
    /// The pair in Kraken v2 spelling, as the instrument channel lists it (`BTC/USD`).
    public var symbol: String
    /// Whether the `book` channel is subscribed (`orderbook:` in the config).
    public var recordsBook: Bool
    /// Kraken book subscription depth: 10, 25, 100, 500 or 1000.
    public var bookDepth: Int
    /// Whether the `trade` channel is subscribed (`trades:` in the config).
    public var recordsTrades: Bool
    /// Whether the `ticker` channel is subscribed (`ticker:` in the config).
    public var recordsTicker = false
    /// The `ohlc` intervals subscribed (`ohlc:` in the config), one subscription each.
    public var ohlcIntervals: [OHLCInterval] = []
    /// Deadlines, cadences and limits.
    public var policy: FeedPolicy
    /// The feed is one market of a group on one connection (SPEC §7): its subscriptions go to the
    /// group as `.subscription` actions, any connection the group opens is its own, and a pair
    /// Kraken refuses or delists is held (a row, no exit) while the group records on.
    public var sharesConnection = false

    /// A feed for `symbol` with the given channels and policy.
    public init(
        symbol: String, recordsBook: Bool = true, bookDepth: Int = 25, recordsTrades: Bool = true,
        policy: FeedPolicy = FeedPolicy()
    ) {
        self.symbol = symbol
        self.recordsBook = recordsBook
        self.bookDepth = bookDepth
        self.recordsTrades = recordsTrades
        self.policy = policy
    }
}
