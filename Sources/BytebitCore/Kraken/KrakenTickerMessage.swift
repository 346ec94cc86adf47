/// One entry of a `ticker` frame (docs/kraken-v2.md §6.4): the best bid and offer with their sizes
/// and the 24-hour figures, every number as Kraken printed it.
public struct KrakenTicker: Sendable, Equatable {
    /// The pair, e.g. `BTC/USD`.
    public var symbol: String
    public var bid: ExactDecimal
    public var bidQty: ExactDecimal
    public var ask: ExactDecimal
    public var askQty: ExactDecimal
    /// The last trade's price.
    public var last: ExactDecimal
    /// 24-hour volume in the base asset.
    public var volume: ExactDecimal
    /// 24-hour volume-weighted average price.
    public var vwap: ExactDecimal
    /// 24-hour low and high.
    public var low: ExactDecimal
    public var high: ExactDecimal
    /// 24-hour price change, absolute and in percent.
    public var change: ExactDecimal
    public var changePercent: ExactDecimal
    /// Kraken's time of the message when it sends one (its documentation shows `timestamp`; older
    /// captures have none): nil then, and the row takes the receive time.
    public var timestamp: UTCTimestamp?

    /// Creates a ticker entry.
    public init(
        symbol: String, bid: ExactDecimal, bidQty: ExactDecimal, ask: ExactDecimal, askQty: ExactDecimal,
        last: ExactDecimal, volume: ExactDecimal, vwap: ExactDecimal, low: ExactDecimal, high: ExactDecimal,
        change: ExactDecimal, changePercent: ExactDecimal, timestamp: UTCTimestamp?
    ) {
        self.symbol = symbol
        self.bid = bid
        self.bidQty = bidQty
        self.ask = ask
        self.askQty = askQty
        self.last = last
        self.volume = volume
        self.vwap = vwap
        self.low = low
        self.high = high
        self.change = change
        self.changePercent = changePercent
        self.timestamp = timestamp
    }
}

/// A `ticker` frame: the current state on subscribe (snapshot) or a change (update).
public struct KrakenTickerMessage: Sendable, Equatable {
    public var isSnapshot: Bool
    /// The entries in frame order (Kraken sends one).
    public var tickers: [KrakenTicker]

    public init(isSnapshot: Bool, tickers: [KrakenTicker]) {
        self.isSnapshot = isSnapshot
        self.tickers = tickers
    }
}

/// One candle of an `ohlc` frame (docs/kraken-v2.md §6.5): Kraken re-sends the open interval's
/// candle on every change with the same `interval_begin`.
public struct KrakenCandle: Sendable, Equatable {
    /// The pair, e.g. `BTC/USD`.
    public var symbol: String
    /// Kraken's `interval` in minutes.
    public var intervalMinutes: Int
    /// Start of the interval (`interval_begin`; the item's `timestamp`, deprecated, is its end).
    public var intervalBegin: UTCTimestamp
    public var open: ExactDecimal
    public var high: ExactDecimal
    public var low: ExactDecimal
    public var close: ExactDecimal
    public var volume: ExactDecimal
    public var vwap: ExactDecimal
    /// How many trades.
    public var trades: UInt64

    /// Creates a candle.
    public init(
        symbol: String, intervalMinutes: Int, intervalBegin: UTCTimestamp, open: ExactDecimal, high: ExactDecimal,
        low: ExactDecimal, close: ExactDecimal, volume: ExactDecimal, vwap: ExactDecimal, trades: UInt64
    ) {
        self.symbol = symbol
        self.intervalMinutes = intervalMinutes
        self.intervalBegin = intervalBegin
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.vwap = vwap
        self.trades = trades
    }
}

/// An `ohlc` frame: recent candles on subscribe (snapshot) or the open candle's change (update).
public struct KrakenOHLCMessage: Sendable, Equatable {
    public var isSnapshot: Bool
    /// The candles in frame order.
    public var candles: [KrakenCandle]

    public init(isSnapshot: Bool, candles: [KrakenCandle]) {
        self.isSnapshot = isSnapshot
        self.candles = candles
    }
}
