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

/// Where the exchange reports the truth; single-threaded like the exchange.
public protocol SimTruthSink: AnyObject {
    /// After every book message published for (symbol, depth, timestamp), once.
    func record(_ book: SimBookTruth)
    /// Once per trade id, when the trade is first sent to a client (live or in a snapshot).
    func record(_ trade: SimTradeTruth)
    /// Push buffered lines to their destination.
    func flush()
}

/// Keeps the truth in memory (for tests and embedding).
public final class SimTruthLog: SimTruthSink {
    /// Every book truth, in publication order.
    public private(set) var books: [SimBookTruth] = []
    /// Every trade truth, in the order first sent.
    public private(set) var trades: [SimTradeTruth] = []

    /// An empty log.
    public init() {}

    public func record(_ book: SimBookTruth) { books.append(book) }
    public func record(_ trade: SimTradeTruth) { trades.append(trade) }
    public func flush() {}
}
