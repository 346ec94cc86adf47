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
    /// The row's text, formatted once for every sink when the recorder has outputs beside the
    /// files and the levels carry no JSON fragments (nil otherwise: the file sink then copies or
    /// formats the row itself). Made from this book.
    public var text: BookRowText?
    /// The top levels' rendered cells from the book (`OrderBook.topText`), when the recorder has
    /// them: the row is then copied from them instead of formatting every number (same bytes), and
    /// with outputs on the message from the levels' JSON fragments beside them (`carriesLevelJSON`).
    public var levelText: BookTopText?

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
        var copy = VerifiedBookTop(
            timestamp: timestamp, receivedAt: receivedAt, bids: ArraySlice(Array(bids)), asks: ArraySlice(Array(asks)),
            checksum: checksum)
        if let text {
            var own = BookRowText()
            own.copy(text)
            copy.text = own
        }
        return copy
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

/// One row of the ticker file: a `ticker` entry as Kraken printed it, with its times. The figures
/// are the entry's own (`record.bid` reads `figures.bid`), so they are listed once, in `KrakenTicker`.
@dynamicMemberLookup
public struct TickerRecord: Sendable, Equatable {
    /// Kraken's message time when it sent one, else `receivedAt`.
    public var timestamp: UTCTimestamp
    public var receivedAt: UTCTimestamp
    /// The entry: bid, ask, last, the 24-hour figures.
    public var figures: KrakenTicker

    /// The row of a ticker entry received at `receivedAt`.
    public init(_ ticker: KrakenTicker, receivedAt: UTCTimestamp) {
        timestamp = ticker.timestamp ?? receivedAt
        self.receivedAt = receivedAt
        figures = ticker
    }

    public subscript(dynamicMember figure: KeyPath<KrakenTicker, ExactDecimal>) -> ExactDecimal {
        figures[keyPath: figure]
    }
}

/// One row of Kraken's candles: the last version Kraken sent of an interval that has ended.
public struct OHLCRecord: Sendable, Equatable {
    public var interval: OHLCInterval
    public var intervalBegin: UTCTimestamp
    public var open: ExactDecimal
    public var high: ExactDecimal
    public var low: ExactDecimal
    public var close: ExactDecimal
    public var volume: ExactDecimal
    public var vwap: ExactDecimal
    public var trades: UInt64

    /// The row of one of Kraken's candles at `interval`.
    public init(_ candle: KrakenCandle, interval: OHLCInterval) {
        self.interval = interval
        intervalBegin = candle.intervalBegin
        open = candle.open
        high = candle.high
        low = candle.low
        close = candle.close
        volume = candle.volume
        vwap = candle.vwap
        trades = candle.trades
    }
}
