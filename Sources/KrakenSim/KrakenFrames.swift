import BytebitCore

/// The text of every frame the simulator sends, shaped and key-ordered like Kraken's real frames
/// (see live-frames.json). Numbers are printed by `ExactDecimal`: at the pair's precision, with
/// trailing zeros, never in exponent notation.
enum KrakenFrames {
    /// Kraken's application heartbeat.
    static let heartbeat = #"{"channel":"heartbeat"}"#

    /// The `status` update sent on connect and when the engine state changes; no `connection_id`
    /// during maintenance, as in Kraken's capture.
    static func status(system: String, connectionID: UInt64?) -> String {
        var text = #"{"channel":"status","type":"update","data":[{"version":"2.0.10","system":"#
        text += JSONString.quoted(system) + #","api_version":"v2""#
        if let connectionID { text += #","connection_id":\#(connectionID)"# }
        return text + "}]}"
    }

    static func pong(requestID: Int64?, timeIn: UTCTimestamp, timeOut: UTCTimestamp) -> String {
        var text = #"{"method":"pong""#
        if let requestID { text += #","req_id":\#(requestID)"# }
        return text + #","time_in":"\#(timeIn)","time_out":"\#(timeOut)"}"#
    }

    /// A successful (un)subscribe acknowledgement; `result` is the JSON object text.
    static func success(
        method: String, requestID: Int64?, result: String, timeIn: UTCTimestamp, timeOut: UTCTimestamp
    ) -> String {
        var text = #"{"method":"# + JSONString.quoted(method)
        if let requestID { text += #","req_id":\#(requestID)"# }
        return text + #","result":\#(result),"success":true,"time_in":"\#(timeIn)","time_out":"\#(timeOut)"}"#
    }

    /// An error acknowledgement: keys in Kraken's order, the symbol at top level, no `result`.
    static func failure(
        method: String?, requestID: Int64?, error: String, symbol: String?, timeIn: UTCTimestamp,
        timeOut: UTCTimestamp
    ) -> String {
        var text = #"{"error":"# + JSONString.quoted(error)
        if let method { text += #","method":"# + JSONString.quoted(method) }
        if let requestID { text += #","req_id":\#(requestID)"# }
        text += #","success":false"#
        if let symbol { text += #","symbol":"# + JSONString.quoted(symbol) }
        return text + #","time_in":"\#(timeIn)","time_out":"\#(timeOut)"}"#
    }

    /// The `result` object of a book acknowledgement.
    static func bookResult(symbol: String, depth: Int, snapshot: Bool) -> String {
        #"{"channel":"book","depth":\#(depth),"snapshot":\#(snapshot),"symbol":"# + JSONString.quoted(symbol) + "}"
    }

    /// The `result` object of a trade acknowledgement.
    static func tradeResult(symbol: String, snapshot: Bool) -> String {
        #"{"channel":"trade","snapshot":\#(snapshot),"symbol":"# + JSONString.quoted(symbol) + "}"
    }

    /// The `result` object of a ticker acknowledgement.
    static func tickerResult(symbol: String, trigger: String, snapshot: Bool) -> String {
        #"{"channel":"ticker","event_trigger":"\#(trigger)","snapshot":\#(snapshot),"symbol":"#
            + JSONString.quoted(symbol) + "}"
    }

    /// The `result` object of an ohlc acknowledgement, with Kraken's deprecation warning (live-frames.json).
    static func ohlcResult(symbol: String, interval: Int, snapshot: Bool) -> String {
        #"{"channel":"ohlc","interval":\#(interval),"snapshot":\#(snapshot),"symbol":"# + JSONString.quoted(symbol)
            + #","warnings":["timestamp is deprecated, use interval_begin"]}"#
    }

    /// A ticker snapshot or update, in the documented key order (docs/kraken-v2.md §6.4).
    static func ticker(type: String, _ ticker: SimTickerTruth) -> String {
        #"{"channel":"ticker","type":"# + JSONString.quoted(type) + #","data":[{"symbol":"# + JSONString.quoted(ticker.symbol)
            + #","bid":\#(ticker.bid),"bid_qty":\#(ticker.bidQty),"ask":\#(ticker.ask),"ask_qty":\#(ticker.askQty)"#
            + #","last":\#(ticker.last),"volume":\#(ticker.volume),"vwap":\#(ticker.vwap),"low":\#(ticker.low)"#
            + #","high":\#(ticker.high),"change":\#(ticker.change),"change_pct":\#(ticker.changePercent)"#
            + #","timestamp":"\#(ticker.timestamp)"}]}"#
    }

    /// An ohlc snapshot or update, shaped like Kraken's capture: a top-level `timestamp` and
    /// `interval_begin` with nanoseconds, the deprecated item `timestamp` (the interval's end).
    static func ohlc(type: String, _ candles: [SimCandleTruth], timestamp: UTCTimestamp) -> String {
        var text = #"{"channel":"ohlc","type":"# + JSONString.quoted(type) + #","timestamp":"\#(nanoseconds(timestamp))","data":["#
        for (index, candle) in candles.enumerated() {
            if index > 0 { text += "," }
            let end = UTCTimestamp(
                microsecondsSince1970: candle.intervalBegin.microseconds + Int64(candle.intervalMinutes) * 60_000_000)
            text += #"{"symbol":"# + JSONString.quoted(candle.symbol) + #","open":\#(candle.open),"high":\#(candle.high)"#
            text += #","low":\#(candle.low),"close":\#(candle.close),"trades":\#(candle.trades),"volume":\#(candle.volume)"#
            text += #","vwap":\#(candle.vwap),"interval_begin":"\#(nanoseconds(candle.intervalBegin))""#
            text += #","interval":\#(candle.intervalMinutes),"timestamp":"\#(end)"}"#
        }
        return text + "]}"
    }

    /// RFC 3339 with nine fraction digits, as Kraken prints ohlc times.
    private static func nanoseconds(_ time: UTCTimestamp) -> String {
        String(time.description.dropLast()) + "000Z"
    }

    /// The `result` object of an instrument acknowledgement, with Kraken's deprecation warning.
    static func instrumentResult(snapshot: Bool) -> String {
        #"{"channel":"instrument","snapshot":\#(snapshot),"warnings":["tick_size is deprecated, use price_increment"]}"#
    }

    /// A book snapshot or update; each side's levels in the order given.
    static func book(
        type: String, pair: SimPair, bids: [SimLevel], asks: [SimLevel], checksum: UInt32, timestamp: UTCTimestamp
    ) -> String {
        var text = #"{"channel":"book","type":"# + JSONString.quoted(type) + #","data":[{"symbol":"# + JSONString.quoted(pair.symbol)
        text += #","bids":"#
        appendLevels(bids, pair: pair, to: &text)
        text += #","asks":"#
        appendLevels(asks, pair: pair, to: &text)
        return text + #","checksum":\#(checksum),"timestamp":"\#(timestamp)"}]}"#
    }

    private static func appendLevels(_ levels: [SimLevel], pair: SimPair, to text: inout String) {
        text += "["
        for (index, level) in levels.enumerated() {
            if index > 0 { text += "," }
            text += #"{"price":\#(pair.price(level.price)),"qty":\#(pair.qty(level.qty))}"#
        }
        text += "]"
    }

    /// A trade snapshot or update.
    static func trades(type: String, pair: SimPair, _ trades: [SimTrade]) -> String {
        var text = #"{"channel":"trade","type":"# + JSONString.quoted(type) + #","data":["#
        for (index, trade) in trades.enumerated() {
            if index > 0 { text += "," }
            text += #"{"symbol":"# + JSONString.quoted(pair.symbol)
            text += #","side":"\#(trade.isBuy ? "buy" : "sell")","price":\#(pair.price(trade.price))"#
            text += #","qty":\#(pair.qty(trade.qty)),"ord_type":"\#(trade.isMarketOrder ? "market" : "limit")""#
            text += #","trade_id":\#(trade.tradeID),"timestamp":"\#(trade.timestamp)"}"#
        }
        return text + "]}"
    }

    /// The instrument snapshot: every asset and pair of the simulator.
    static func instrumentSnapshot(pairs: [SimPair]) -> String {
        instrument(type: "snapshot", pairs: pairs, status: "online")
    }

    /// An instrument update for pairs listed (`online`) or delisted (`delisted`) live, with their assets.
    static func instrumentUpdate(pairs: [SimPair], status: String) -> String {
        instrument(type: "update", pairs: pairs, status: status)
    }

    private static func instrument(type: String, pairs: [SimPair], status: String) -> String {
        var assets: [String] = []
        for pair in pairs {
            for asset in [pair.base, pair.quote] where !assets.contains(asset) { assets.append(asset) }
        }
        let fiat: Set<String> = ["USD", "EUR", "GBP", "JPY", "CAD", "CHF", "AUD"]
        let assetTexts = assets.map { asset in
            let isFiat = fiat.contains(asset)
            return #"{"id":"# + JSONString.quoted(asset) + #","status":"enabled","precision":\#(isFiat ? 4 : 10)"#
                + #","precision_display":\#(isFiat ? 2 : 5),"borrowable":true,"collateral_value":1.00"#
                + #","margin_rate":0.020000}"#
        }
        let pairTexts = pairs.map { pair in
            let qtyIncrement = ExactDecimal(units: 1, scale: pair.qtyPrecision)
            let priceIncrement = ExactDecimal(units: 1, scale: pair.pricePrecision)
            let qtyMin = ExactDecimal(
                units: ExactDecimal.powerOfTen(max(Int(pair.qtyPrecision) - 4, 0)) ?? 1, scale: pair.qtyPrecision)
            return #"{"symbol":"# + JSONString.quoted(pair.symbol) + #","base":"# + JSONString.quoted(pair.base) + #","quote":"#
                + JSONString.quoted(pair.quote) + #","status":"# + JSONString.quoted(status)
                + #","qty_precision":\#(pair.qtyPrecision)"#
                + #","qty_increment":\#(qtyIncrement),"price_precision":\#(pair.pricePrecision)"#
                + #","cost_precision":5,"marginable":false,"has_index":true,"cost_min":0.5"#
                + #","tick_size":\#(priceIncrement),"price_increment":\#(priceIncrement),"qty_min":\#(qtyMin)}"#
        }
        return #"{"channel":"instrument","type":"# + JSONString.quoted(type) + #","data":{"assets":["#
            + assetTexts.joined(separator: ",") + #"],"pairs":["# + pairTexts.joined(separator: ",") + "]}}"
    }
}
