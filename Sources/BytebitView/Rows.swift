import BytebitCore

/// One order book row: the book as it was at `timestamp`, bids and asks best first.
public struct BookRow: Sendable, Equatable {
    /// The book message's (or interval tick's) time.
    public var timestamp: UTCTimestamp
    /// When the collector received the message.
    public var receivedAt: UTCTimestamp
    /// Bid levels present in the row, best first (a side with fewer levels than the file leaves cells empty).
    public var bids: [PriceLevel]
    /// Ask levels present in the row, best first.
    public var asks: [PriceLevel]
    /// The file's exact mid price; nil when a side is empty.
    public var mid: ExactDecimal?

    /// Best ask minus best bid, exact; nil when a side is empty.
    public var spread: ExactDecimal? {
        guard let bid = bids.first, let ask = asks.first else { return nil }
        return ViewMath.difference(ask.price, bid.price)
    }
}

/// The taker side of a trade.
public enum TradeSide: String, Sendable, Equatable {
    case buy
    case sell
}

/// One trade row (SPEC §4.2).
public struct TradeRow: Sendable, Equatable {
    /// Kraken's trade time.
    public var timestamp: UTCTimestamp
    /// When the collector received the trade.
    public var receivedAt: UTCTimestamp
    /// Kraken's trade id.
    public var tradeID: Int64
    /// The taker side.
    public var side: TradeSide
    /// Trade price, exact as written.
    public var price: ExactDecimal
    /// Trade quantity, exact as written.
    public var qty: ExactDecimal
    /// `limit` or `market`, as written.
    public var orderType: String

    /// Price × quantity, exact (scale = price scale + quantity scale); nil only on overflow.
    public var notional: ExactDecimal? { ViewMath.product(price, qty) }
}

/// One events ledger row (SPEC §4.3).
public struct EventRow: Sendable, Equatable {
    /// When the event happened.
    public var timestamp: UTCTimestamp
    /// The event name (`snapshot`, `disconnected`, …).
    public var event: String
    /// Free text for people.
    public var detail: String
}

/// A row that could not be read, reported and skipped.
public struct CorruptRow: Sendable, Equatable, CustomStringConvertible {
    /// The file holding the row.
    public var path: String
    /// Line number (or byte offset) of the row.
    public var position: LineReader.Position
    /// What is wrong with it.
    public var reason: String

    public var description: String { "\(path) \(position): \(reason); row skipped" }
}
