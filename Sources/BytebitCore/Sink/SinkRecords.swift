/// A book top the recorder verified against Kraken's checksum: the rows of the order book file.
public struct VerifiedBookTop: Sendable {
    /// Kraken's timestamp of the message, or the tick of an interval row.
    public var timestamp: UTCTimestamp
    /// When the message that made this book arrived.
    public var receivedAt: UTCTimestamp
    /// Bids best first, at most the market's `levels` (a slice of the live book: no copy).
    public var bids: ArraySlice<PriceLevel>
    /// Asks best first, at most the market's `levels`.
    public var asks: ArraySlice<PriceLevel>
    /// The checksum the book was verified against.
    public var checksum: UInt32

    public init(
        timestamp: UTCTimestamp, receivedAt: UTCTimestamp, bids: ArraySlice<PriceLevel>,
        asks: ArraySlice<PriceLevel>, checksum: UInt32
    ) {
        self.timestamp = timestamp
        self.receivedAt = receivedAt
        self.bids = bids
        self.asks = asks
        self.checksum = checksum
    }

    /// The same top with levels of its own (for a sink that keeps it past the call).
    public func copied() -> VerifiedBookTop {
        VerifiedBookTop(
            timestamp: timestamp, receivedAt: receivedAt, bids: ArraySlice(Array(bids)), asks: ArraySlice(Array(asks)),
            checksum: checksum)
    }
}

/// One trade of the trades file.
public struct TradeRecord: Sendable, Equatable {
    public var timestamp: UTCTimestamp
    public var receivedAt: UTCTimestamp
    public var tradeID: UInt64
    /// The taker side, `buy` or `sell`.
    public var side: String
    public var price: ExactDecimal
    public var qty: ExactDecimal
    /// Kraken's `ord_type`, e.g. `limit`.
    public var orderType: String

    public init(
        timestamp: UTCTimestamp, receivedAt: UTCTimestamp, tradeID: UInt64, side: String, price: ExactDecimal,
        qty: ExactDecimal, orderType: String
    ) {
        self.timestamp = timestamp
        self.receivedAt = receivedAt
        self.tradeID = tradeID
        self.side = side
        self.price = price
        self.qty = qty
        self.orderType = orderType
    }
}

/// One row of the events ledger (the gap record).
public struct LedgerRecord: Sendable, Equatable {
    public var timestamp: UTCTimestamp
    public var event: LedgerEvent
    public var detail: String

    public init(timestamp: UTCTimestamp, event: LedgerEvent, detail: String) {
        self.timestamp = timestamp
        self.event = event
        self.detail = detail
    }
}
