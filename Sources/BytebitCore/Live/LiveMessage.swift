/// The JSON messages of the live outputs (SPEC §9): what Redis subscribers and feed clients get,
/// one object per verified book row, trade or ledger row. Prices and quantities are JSON strings
/// of the file's exact text; the bytes are built by hand (no encoder, no floating point), so a
/// message says exactly what the file row says.
public enum LiveMessage {
    /// `{"type":"book","pair":…,"timestamp":…,"received_at":…,"checksum":…,"bids":[[p,q],…],"asks":[…]}`
    /// with the levels best first, as many as the order book file holds.
    public static func book(pair: String, _ top: VerifiedBookTop) -> [UInt8] {
        var bytes = header(type: "book", pair: pair)
        bytes.reserveCapacity(160 + 48 * (top.bids.count + top.asks.count))
        appendTimestamp("timestamp", top.timestamp, to: &bytes)
        appendTimestamp("received_at", top.receivedAt, to: &bytes)
        append(",\"checksum\":\(top.checksum)", to: &bytes)
        append(",\"bids\":", to: &bytes)
        appendLevels(top.bids, to: &bytes)
        append(",\"asks\":", to: &bytes)
        appendLevels(top.asks, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// `{"type":"trade","pair":…,"timestamp":…,"received_at":…,"trade_id":…,"side":…,"price":…,"qty":…,"ord_type":…}`
    public static func trade(pair: String, _ trade: TradeRecord) -> [UInt8] {
        var bytes = header(type: "trade", pair: pair)
        appendTimestamp("timestamp", trade.timestamp, to: &bytes)
        appendTimestamp("received_at", trade.receivedAt, to: &bytes)
        append(",\"trade_id\":\(trade.tradeID),\"side\":\(JSONString.quoted(trade.side))", to: &bytes)
        append(",\"price\":", to: &bytes)
        appendQuoted(trade.price, to: &bytes)
        append(",\"qty\":", to: &bytes)
        appendQuoted(trade.qty, to: &bytes)
        append(",\"ord_type\":\(JSONString.quoted(trade.orderType))}", to: &bytes)
        return bytes
    }

    /// `{"type":"event","pair":…,"timestamp":…,"event":…,"detail":…}`
    public static func event(pair: String, _ event: LedgerRecord) -> [UInt8] {
        var bytes = header(type: "event", pair: pair)
        appendTimestamp("timestamp", event.timestamp, to: &bytes)
        append(",\"event\":\(JSONString.quoted(event.event.name)),\"detail\":\(JSONString.quoted(event.detail))}", to: &bytes)
        return bytes
    }

    /// `{"type":"kline","pair":…,"interval":"1m","interval_begin":…,"open":…,"high":…,"low":…,"close":…,`
    /// `"volume":…,"vwap":…,"trades":12,"complete":true}`; an unknown volume or vwap is `null`.
    public static func kline(pair: String, _ kline: KlineRecord) -> [UInt8] {
        var bytes = header(type: "kline", pair: pair)
        append(",\"interval\":\"\(kline.interval.rawValue)\"", to: &bytes)
        appendTimestamp("interval_begin", kline.intervalBegin, to: &bytes)
        for (key, price) in [("open", kline.open), ("high", kline.high), ("low", kline.low), ("close", kline.close)] {
            append(",\"\(key)\":", to: &bytes)
            appendQuoted(price, to: &bytes)
        }
        for (key, value) in [("volume", kline.volume), ("vwap", kline.vwap)] {
            append(",\"\(key)\":", to: &bytes)
            if let value {
                bytes.append(UInt8(ascii: "\""))
                value.appendText(to: &bytes)
                bytes.append(UInt8(ascii: "\""))
            } else {
                append("null", to: &bytes)
            }
        }
        append(",\"trades\":\(kline.trades),\"complete\":\(kline.complete)}", to: &bytes)
        return bytes
    }

    // MARK: - Pieces

    private static func header(type: String, pair: String) -> [UInt8] {
        Array("{\"type\":\"\(type)\",\"pair\":\(JSONString.quoted(pair))".utf8)
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: text.utf8)
    }

    private static func appendTimestamp(_ key: String, _ timestamp: UTCTimestamp, to bytes: inout [UInt8]) {
        append(",\"\(key)\":\"", to: &bytes)
        timestamp.appendText(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    private static func appendQuoted(_ value: ExactDecimal, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        value.appendText(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    private static func appendLevels(_ levels: ArraySlice<PriceLevel>, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "["))
        for (index, level) in levels.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "["))
            appendQuoted(level.price, to: &bytes)
            bytes.append(UInt8(ascii: ","))
            appendQuoted(level.qty, to: &bytes)
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
