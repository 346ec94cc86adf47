import BytebitCore

/// Everything `bytebit view` was asked for.
public struct ViewRequest: Sendable {
    /// The pair, normalised (`BTC-USD`).
    public var pair: String
    public var date: CalendarDate
    public var window: TimeWindow
    /// Show trades instead of the order book.
    public var showsTrades = false
    /// Levels a side to show as a ladder (table/json) or to keep (csv); nil = best only / all.
    public var levels: Int?
    /// Show only the first N rows.
    public var limit: Int?
    /// Show only the last N rows.
    public var tail: Int?
    /// Keep reading as rows are appended, across midnight into the next day's file.
    public var follows = false
    public var tradeFilter = TradeFilter()
    public var format: OutputFormat = .table
    /// Print statistics instead of rows.
    public var showsSummary = false
    /// Show the candles of this interval (`--klines 1m`) instead of the book or trades.
    public var klines: KlineInterval?

    /// `pair` as `pairName` reads it (a spelling it refuses is kept as given and finds no folder).
    public init(pair: String, date: CalendarDate, window: TimeWindow = TimeWindow()) {
        self.pair = (try? Self.pairName(pair)) ?? pair
        self.date = date
        self.window = window
    }

    /// The pair's folder name, read by the config's rule (`MarketPair`): upper case `BASE-QUOTE`, with
    /// `XBT`/`XDG` as `BTC`/`DOGE`. Another spelling (`btc-usd`, `BTC/USD`) is refused with a suggestion,
    /// as `config.yaml` refuses it, so a pair means the same everywhere.
    public static func pairName(_ text: String) throws(ViewError) -> String {
        if let pair = MarketPair(parsing: text) { return pair.name }
        throw .invalidOption(name: "pair", value: text, expected: MarketPair.expectedForm + MarketPair.suggestionHint(for: text))
    }
}
