/// One decoded Kraken WebSocket v2 frame: a response to a request (`method`) or channel data
/// (`channel`). Frames this collector has no use for come back as `ignored`.
public enum KrakenMessage: Sendable, Equatable {
    /// The engine's state (`online`, `maintenance`, `cancel_only`, …; unknown values kept as sent);
    /// sent on connect and on change. `connectionID` is absent during maintenance.
    case status(system: String, connectionID: UInt64?)
    /// Sent about once a second while nothing else is.
    case heartbeat
    /// The answer to our application-level ping.
    case pong(reqID: Int64?)
    /// A subscribe acknowledgement, successful or not (check `success`).
    case subscribed(KrakenAck)
    /// An unsubscribe acknowledgement, successful or not (check `success`).
    case unsubscribed(KrakenAck)
    /// Book snapshots or updates: one element per `data` entry, in frame order.
    case book([KrakenBookMessage])
    /// Trades, one element per `data` entry, in frame order.
    case trades(KrakenTradeMessage)
    /// Pair reference data (precisions and trading status).
    case instrument(KrakenInstrumentMessage)
    /// L1 ticker entries, one per `data` entry, in frame order.
    case ticker(KrakenTickerMessage)
    /// Kraken's own candles, one per `data` entry, in frame order.
    case ohlc(KrakenOHLCMessage)
    /// A channel (or response `method`) the collector does not use, e.g. `ohlc`.
    case ignored(channel: String)
}

/// A `subscribe`/`unsubscribe` acknowledgement. Kraken sends one per symbol.
public struct KrakenAck: Sendable, Equatable {
    /// `subscribe` or `unsubscribe`.
    public var method: String
    /// False when Kraken refused; `error` then says why.
    public var success: Bool
    /// `result.channel` (absent in rejections).
    public var channel: String?
    /// `result.symbol`, or the top-level `symbol` of a rejection.
    public var symbol: String?
    /// `result.depth` for book subscriptions.
    public var depth: Int?
    /// `result.interval` (minutes) for ohlc subscriptions.
    public var interval: Int?
    /// Kraken's error text, e.g. `Currency pair not supported XBT/USD`.
    public var error: String?
    /// Our `req_id`, echoed.
    public var reqID: Int64?
    /// Advisory notes (`result.warnings`), e.g. deprecated fields: log them, never fail on them.
    public var warnings: [String]

    /// Creates an acknowledgement (the decoder's and the tests' initialiser).
    public init(
        method: String, success: Bool, channel: String? = nil, symbol: String? = nil, depth: Int? = nil,
        error: String? = nil, reqID: Int64? = nil, warnings: [String] = []
    ) {
        self.method = method
        self.success = success
        self.channel = channel
        self.symbol = symbol
        self.depth = depth
        self.error = error
        self.reqID = reqID
        self.warnings = warnings
    }
}

extension KrakenAck {
    /// The acknowledgement with `result.interval` (ohlc) set.
    public func with(interval: Int?) -> KrakenAck {
        var ack = self
        ack.interval = interval
        return ack
    }
}

/// One `data` entry of a `book` frame: a full snapshot or a list of level changes for one symbol.
public struct KrakenBookMessage: Sendable, Equatable {
    /// Snapshot (replace the book) or update (apply the levels in order).
    public var isSnapshot: Bool
    /// The pair as subscribed, e.g. `BTC/USD`.
    public var symbol: String
    /// Bid levels in wire order (`qty` 0 means delete).
    public var bids: [PriceLevel]
    /// Ask levels in wire order (`qty` 0 means delete).
    public var asks: [PriceLevel]
    /// Kraken's CRC32 of the top 10 levels after this message.
    public var checksum: UInt32
    /// Kraken's time for the message; 2023/2024 snapshots had none.
    public var timestamp: UTCTimestamp?

    /// Creates a book message.
    public init(
        isSnapshot: Bool, symbol: String, bids: [PriceLevel], asks: [PriceLevel], checksum: UInt32,
        timestamp: UTCTimestamp?
    ) {
        self.isSnapshot = isSnapshot
        self.symbol = symbol
        self.bids = bids
        self.asks = asks
        self.checksum = checksum
        self.timestamp = timestamp
    }
}

/// The side of the taker order in a trade.
public enum KrakenTradeSide: String, Sendable, Equatable {
    /// The taker bought (lifted an ask).
    case buy
    /// The taker sold (hit a bid).
    case sell
}

/// One trade from the `trade` channel.
public struct KrakenTrade: Sendable, Equatable {
    /// The pair, e.g. `BTC/USD`.
    public var symbol: String
    /// The taker's side.
    public var side: KrakenTradeSide
    /// Average price of the trade, as printed.
    public var price: ExactDecimal
    /// Size of the trade, as printed.
    public var qty: ExactDecimal
    /// The taker's order type as sent (`limit`, `market`).
    public var ordType: String
    /// Kraken's per-pair trade sequence number.
    public var tradeID: UInt64
    /// Kraken's trade time.
    public var timestamp: UTCTimestamp

    /// Creates a trade.
    public init(
        symbol: String, side: KrakenTradeSide, price: ExactDecimal, qty: ExactDecimal, ordType: String,
        tradeID: UInt64, timestamp: UTCTimestamp
    ) {
        self.symbol = symbol
        self.side = side
        self.price = price
        self.qty = qty
        self.ordType = ordType
        self.tradeID = tradeID
        self.timestamp = timestamp
    }
}

/// A `trade` frame: the last 50 trades after subscribing (snapshot) or new trades (update).
public struct KrakenTradeMessage: Sendable, Equatable {
    /// True for the snapshot sent on (re)subscribe, which overlaps trades already seen.
    public var isSnapshot: Bool
    /// The trades in frame order.
    public var trades: [KrakenTrade]

    /// Creates a trade message.
    public init(isSnapshot: Bool, trades: [KrakenTrade]) {
        self.isSnapshot = isSnapshot
        self.trades = trades
    }
}

/// What the collector needs of one pair in the `instrument` channel.
public struct KrakenInstrumentPair: Sendable, Equatable {
    /// The v2 symbol, e.g. `BTC/USD`.
    public var symbol: String
    /// Fraction digits of prices (0…18).
    public var pricePrecision: Int8
    /// Fraction digits of quantities (0…18).
    public var qtyPrecision: Int8
    /// Trading status as sent: `online`, `cancel_only`, `delisted`, …
    public var status: String

    /// Creates an instrument pair.
    public init(symbol: String, pricePrecision: Int8, qtyPrecision: Int8, status: String) {
        self.symbol = symbol
        self.pricePrecision = pricePrecision
        self.qtyPrecision = qtyPrecision
        self.status = status
    }
}

/// An `instrument` frame: all pairs (snapshot) or the changed ones (update). Assets are skipped.
public struct KrakenInstrumentMessage: Sendable, Equatable {
    /// True for the full list sent on subscribe.
    public var isSnapshot: Bool
    /// The pairs in frame order.
    public var pairs: [KrakenInstrumentPair]

    /// Creates an instrument message.
    public init(isSnapshot: Bool, pairs: [KrakenInstrumentPair]) {
        self.isSnapshot = isSnapshot
        self.pairs = pairs
    }
}
