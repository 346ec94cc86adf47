import BytebitCore

/// Kraken WebSocket v2 frames as the exchange prints them (shapes from the live-frames fixture:
/// Tests/BytebitCoreTests/Fixtures/live-frames.json), numbers kept as the text given.
public enum KrakenFrameText {
    public static let heartbeat = #"{"channel":"heartbeat"}"#

    /// Kraken's answer to a `ping` request (its `req_id` echoed).
    public static func pong(answering ping: String) -> String {
        let requestID = ping.split(separator: "\"req_id\":").last.map { $0.prefix { $0.isNumber } } ?? "0"
        return #"{"method":"pong","req_id":\#(requestID),"time_in":"2026-08-26T15:16:16.576099Z","time_out":"2026-08-26T15:16:16.576140Z"}"#
    }

    /// A `status` update, e.g. `online` or `maintenance` (shape of `status_online_2_0_10`).
    public static func status(_ system: String) -> String {
        #"{"channel":"status","type":"update","data":[{"version":"2.0.10","system":"\#(system)","api_version":"v2","connection_id":12072546403441331453}]}"#
    }

    /// The `instrument` snapshot listing one pair.
    public static func instrumentSnapshot(symbol: String, pricePrecision: Int, qtyPrecision: Int) -> String {
        let parts = symbol.split(separator: "/").map(String.init)
        let (base, quote) = (parts.first ?? symbol, parts.last ?? symbol)
        return #"{"channel":"instrument","type":"snapshot","data":{"assets":[{"id":"\#(base)","status":"enabled","precision":10,"precision_display":5,"borrowable":true,"collateral_value":1.00,"margin_rate":0.020000}],"pairs":[{"symbol":"\#(symbol)","base":"\#(base)","quote":"\#(quote)","status":"online","qty_precision":\#(qtyPrecision),"qty_increment":0.00000001,"price_precision":\#(pricePrecision),"cost_precision":10,"marginable":true,"has_index":true,"cost_min":0.00002,"tick_size":0.00001,"price_increment":0.00001,"qty_min":0.00200000}]}}"#
    }

    /// A successful `subscribe` answer (shape of `ethbtc_subscribe_ack`).
    public static func subscribed(_ channel: String, symbol: String?, depth: Int? = nil) -> String {
        var result = #"{"channel":"\#(channel)""#
        if let depth { result += #","depth":\#(depth)"# }
        result += #","snapshot":true"#
        if let symbol { result += #","symbol":"\#(symbol)""# }
        return #"{"method":"subscribe","result":\#(result)},"success":true,"time_in":"2026-08-26T15:16:16.576099Z","time_out":"2026-08-26T15:16:16.576140Z"}"#
    }

    /// A successful ohlc `subscribe` answer, with Kraken's warning (shape of `ohlc_subscribe_ack_with_warning`).
    public static func subscribedOHLC(symbol: String, interval: Int) -> String {
        #"{"method":"subscribe","result":{"channel":"ohlc","interval":\#(interval),"snapshot":true,"symbol":"\#(symbol)","warnings":["timestamp is deprecated, use interval_begin"]},"success":true,"time_in":"2026-10-06T18:06:01.981684Z","time_out":"2026-10-06T18:06:01.981723Z"}"#
    }

    /// A refused `subscribe` (shape of `subscribe_rejected_unknown_with_req_id`); `reqID` maps it back.
    public static func rejected(symbol: String, error: String, reqID: Int) -> String {
        #"{"error":"\#(error)","method":"subscribe","req_id":\#(reqID),"success":false,"symbol":"\#(symbol)","time_in":"2026-08-26T15:16:16.588049Z","time_out":"2026-08-26T15:16:16.588083Z"}"#
    }

    /// A `ticker` message (docs/kraken-v2.md §6.4); numbers as text, `timestamp` left out when nil.
    public static func ticker(
        snapshot: Bool, symbol: String, bid: String, bidQty: String, ask: String, askQty: String, last: String,
        volume: String, vwap: String, low: String, high: String, change: String, changePct: String,
        timestamp: String?
    ) -> String {
        let stamp = timestamp.map { #","timestamp":"\#($0)""# } ?? ""
        return #"{"channel":"ticker","type":"\#(snapshot ? "snapshot" : "update")","data":[{"symbol":"\#(symbol)","bid":\#(bid),"bid_qty":\#(bidQty),"ask":\#(ask),"ask_qty":\#(askQty),"last":\#(last),"volume":\#(volume),"vwap":\#(vwap),"low":\#(low),"high":\#(high),"change":\#(change),"change_pct":\#(changePct)\#(stamp)}]}"#
    }

    /// One candle of an `ohlc` message: numbers as text.
    public struct Candle: Sendable {
        public var begin: String
        public var open, high, low, close, volume, vwap: String
        public var trades: Int

        public init(
            begin: String, open: String, high: String, low: String, close: String, volume: String, vwap: String,
            trades: Int
        ) {
            self.begin = begin
            self.open = open
            self.high = high
            self.low = low
            self.close = close
            self.volume = volume
            self.vwap = vwap
            self.trades = trades
        }
    }

    /// An `ohlc` message (shape of `ohlc_update`: nanosecond `interval_begin`, deprecated item `timestamp`).
    public static func ohlc(snapshot: Bool, symbol: String, interval: Int, _ candles: [Candle]) -> String {
        let items = candles.map { candle in
            #"{"symbol":"\#(symbol)","open":\#(candle.open),"high":\#(candle.high),"low":\#(candle.low),"close":\#(candle.close),"trades":\#(candle.trades),"volume":\#(candle.volume),"vwap":\#(candle.vwap),"interval_begin":"\#(candle.begin.dropLast())000Z","interval":\#(interval),"timestamp":"2026-10-06T18:07:00.000000Z"}"#
        }
        return #"{"channel":"ohlc","type":"\#(snapshot ? "snapshot" : "update")","timestamp":"2026-10-06T18:06:02.264627814Z","data":[\#(items.joined(separator: ","))]}"#
    }

    /// A successful `unsubscribe` answer.
    public static func unsubscribed(_ channel: String, symbol: String, depth: Int? = nil) -> String {
        var result = #"{"channel":"\#(channel)""#
        if let depth { result += #","depth":\#(depth)"# }
        result += #","symbol":"\#(symbol)""#
        return #"{"method":"unsubscribe","result":\#(result)},"success":true,"time_in":"2026-08-26T15:16:16.576099Z","time_out":"2026-08-26T15:16:16.576140Z"}"#
    }

    /// A `book` message; levels as (price, qty) text, best first (shape of `ethbtc_book_*_depth10`).
    public static func book(
        snapshot: Bool, symbol: String, bids: [(String, String)], asks: [(String, String)], checksum: UInt32,
        timestamp: String
    ) -> String {
        func levels(_ side: [(String, String)]) -> String {
            side.map { #"{"price":\#($0.0),"qty":\#($0.1)}"# }.joined(separator: ",")
        }
        return #"{"channel":"book","type":"\#(snapshot ? "snapshot" : "update")","data":[{"symbol":"\#(symbol)","bids":[\#(levels(bids))],"asks":[\#(levels(asks))],"checksum":\#(checksum),"timestamp":"\#(timestamp)"}]}"#
    }

    /// One trade of a `trade` message.
    public struct Trade: Sendable {
        public var side: String
        public var price: String
        public var qty: String
        public var orderType: String
        public var tradeID: UInt64
        public var timestamp: String

        public init(side: String, price: String, qty: String, orderType: String = "limit", tradeID: UInt64, timestamp: String) {
            self.side = side
            self.price = price
            self.qty = qty
            self.orderType = orderType
            self.tradeID = tradeID
            self.timestamp = timestamp
        }
    }

    /// A `trade` message (shape of `trade_snapshot_btcusd_2024`).
    public static func trades(snapshot: Bool, symbol: String, _ trades: [Trade]) -> String {
        let data = trades.map { trade in
            #"{"symbol":"\#(symbol)","side":"\#(trade.side)","price":\#(trade.price),"qty":\#(trade.qty),"ord_type":"\#(trade.orderType)","trade_id":\#(trade.tradeID),"timestamp":"\#(trade.timestamp)"}"#
        }
        return #"{"channel":"trade","type":"\#(snapshot ? "snapshot" : "update")","data":[\#(data.joined(separator: ","))]}"#
    }
}

/// Kraken's side of one book: applies the levels it publishes and prints each frame with the
/// checksum of the resulting book, as the exchange does (or a wrong one, on request).
public struct ScriptedBook: Sendable {
    public let symbol: String
    private var book: OrderBook
    private var sequence = 0

    public init(symbol: String, depth: Int, pricePrecision: Int8, qtyPrecision: Int8) {
        self.symbol = symbol
        book = OrderBook(depth: depth, pricePrecision: pricePrecision, qtyPrecision: qtyPrecision)
    }

    /// A snapshot frame of these levels (best first).
    public mutating func snapshot(bids: [(String, String)], asks: [(String, String)]) -> String {
        book.replace(bids: Self.levels(bids), asks: Self.levels(asks))
        return frame(snapshot: true, bids: bids, asks: asks, corrupt: false)
    }

    /// An update frame; `corruptChecksum`: Kraken's checksum does not match the book it describes.
    public mutating func update(
        bids: [(String, String)] = [], asks: [(String, String)] = [], corruptChecksum: Bool = false
    ) -> String {
        book.apply(bids: Self.levels(bids), asks: Self.levels(asks))
        return frame(snapshot: false, bids: bids, asks: asks, corrupt: corruptChecksum)
    }

    /// The book as Kraken holds it after the frames so far, best first.
    public var bids: [PriceLevel] { Array(book.bids) }
    public var asks: [PriceLevel] { Array(book.asks) }

    private mutating func frame(snapshot: Bool, bids: [(String, String)], asks: [(String, String)], corrupt: Bool) -> String {
        sequence += 1
        let checksum = book.checksum ^ (corrupt ? 0x5a5a_5a5a : 0)
        let timestamp = "2026-08-26T15:16:\(String(format2: 10 + sequence % 50)).\(String(format6: sequence))Z"
        return KrakenFrameText.book(
            snapshot: snapshot, symbol: symbol, bids: bids, asks: asks, checksum: checksum, timestamp: timestamp)
    }

    private static func levels(_ side: [(String, String)]) -> [PriceLevel] {
        side.compactMap { price, qty in
            guard let price = ExactDecimal(price), let qty = ExactDecimal(qty) else { return nil }
            return PriceLevel(price: price, qty: qty)
        }
    }
}

extension String {
    init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }

    init(format6 value: Int) {
        let text = "\(value % 1_000_000)"
        self = String(repeating: "0", count: 6 - text.count) + text
    }
}
