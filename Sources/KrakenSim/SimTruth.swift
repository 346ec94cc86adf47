import BytebitCore

/// The true window of one book subscription depth right after a book message was published.
public struct SimBookTruth: Sendable, Equatable {
    /// The pair's symbol, `BTC/USD`.
    public var symbol: String
    /// The subscription depth whose window this is.
    public var depth: Int
    /// The book message's timestamp (unique per symbol).
    public var timestamp: UTCTimestamp
    /// The true checksum of the window's top 10 (a faulted message may carry another).
    public var checksum: UInt32
    /// Bids best (highest) first, at most `depth`.
    public var bids: [PriceLevel]
    /// Asks best (lowest) first, at most `depth`.
    public var asks: [PriceLevel]
}

/// One trade as first sent to any client.
public struct SimTradeTruth: Sendable, Equatable {
    /// The pair's symbol.
    public var symbol: String
    /// Kraken's per-pair trade sequence number.
    public var tradeID: Int64
    /// The taker side: `buy` or `sell`.
    public var side: String
    /// Trade price at the pair's precision.
    public var price: ExactDecimal
    /// Trade quantity at the pair's precision.
    public var qty: ExactDecimal
    /// `market` or `limit`.
    public var orderType: String
    /// Trade time.
    public var timestamp: UTCTimestamp
}

/// One ticker message as sent (the same text goes to every subscriber with that trigger).
public struct SimTickerTruth: Sendable, Equatable {
    /// The pair's symbol.
    public var symbol: String
    /// The subscription's `event_trigger`: `bbo` or `trades`.
    public var trigger: String
    /// The message's `timestamp` (unique per symbol and trigger).
    public var timestamp: UTCTimestamp
    public var bid: ExactDecimal
    public var bidQty: ExactDecimal
    public var ask: ExactDecimal
    public var askQty: ExactDecimal
    public var last: ExactDecimal
    public var volume: ExactDecimal
    public var vwap: ExactDecimal
    public var low: ExactDecimal
    public var high: ExactDecimal
    public var change: ExactDecimal
    public var changePercent: ExactDecimal
}

/// One of the simulator's own candles, final: a trade of a later interval closed it.
public struct SimCandleTruth: Sendable, Equatable {
    /// The pair's symbol.
    public var symbol: String
    /// Kraken's interval in minutes.
    public var intervalMinutes: Int
    /// Start of the interval.
    public var intervalBegin: UTCTimestamp
    public var open: ExactDecimal
    public var high: ExactDecimal
    public var low: ExactDecimal
    public var close: ExactDecimal
    /// Σqty at the pair's qty precision.
    public var volume: ExactDecimal
    /// Σprice·qty/Σqty at the price precision + 4, rounded half to even.
    public var vwap: ExactDecimal
    /// How many trades.
    public var trades: Int
}

/// Where the exchange reports the truth; single-threaded like the exchange.
public protocol SimTruthSink: AnyObject {
    /// After every book message published for (symbol, depth, timestamp), once.
    func record(_ book: SimBookTruth)
    /// Once per trade id, when the trade is first sent to a client (live or in a snapshot).
    func record(_ trade: SimTradeTruth)
    /// Once per ticker message (symbol, trigger, timestamp) sent to any client.
    func record(_ ticker: SimTickerTruth)
    /// Once per candle of any interval, when a later trade closes it (whether or not anyone
    /// subscribed to its ohlc).
    func record(_ candle: SimCandleTruth)
    /// Push buffered lines to their destination.
    func flush()
}

extension SimTruthSink {
    /// Sinks that only care about books and trades ignore tickers.
    public func record(_ ticker: SimTickerTruth) {}
    /// Sinks that only care about books and trades ignore candles.
    public func record(_ candle: SimCandleTruth) {}
}

/// Keeps the truth in memory (for tests and embedding).
public final class SimTruthLog: SimTruthSink {
    /// Every book truth, in publication order.
    public private(set) var books: [SimBookTruth] = []
    /// Every trade truth, in the order first sent.
    public private(set) var trades: [SimTradeTruth] = []
    /// Every ticker message, in the order sent.
    public private(set) var tickers: [SimTickerTruth] = []
    /// Every closed candle, in the order closed.
    public private(set) var candles: [SimCandleTruth] = []

    /// An empty log.
    public init() {}

    public func record(_ book: SimBookTruth) { books.append(book) }
    public func record(_ trade: SimTradeTruth) { trades.append(trade) }
    public func record(_ ticker: SimTickerTruth) { tickers.append(ticker) }
    public func record(_ candle: SimCandleTruth) { candles.append(candle) }
    public func flush() {}
}
