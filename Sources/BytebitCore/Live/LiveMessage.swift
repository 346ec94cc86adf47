/// The JSON messages of the live outputs (SPEC §9): what Redis subscribers and feed clients get,
/// one object per verified book row, trade or ledger row. Prices and quantities are JSON strings
/// of the file's exact text; the bytes are built by hand (no encoder, no floating point), so a
/// message says exactly what the file row says.
///
/// The `append…(to:)` forms write into a buffer the caller reuses (the Redis sink, once per
/// recorded row): no allocation and no string interpolation per message.
public enum LiveMessage {
    /// `{"type":"book","pair":…,"timestamp":…,"received_at":…,"checksum":…,"bids":[[p,q],…],"asks":[…]}`
    /// with the levels best first, as many as the order book file holds.
    public static func book(pair: String, _ top: VerifiedBookTop) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160 + 48 * (top.bids.count + top.asks.count))
        appendBook(pair: pair, top, to: &bytes)
        return bytes
    }

    /// `{"type":"trade","pair":…,"timestamp":…,"received_at":…,"trade_id":…,"side":…,"price":…,"qty":…,"ord_type":…}`
    public static func trade(pair: String, _ trade: TradeRecord) -> [UInt8] {
        var bytes: [UInt8] = []
        appendTrade(pair: pair, trade, to: &bytes)
        return bytes
    }

    /// `{"type":"event","pair":…,"timestamp":…,"event":…,"detail":…}`
    public static func event(pair: String, _ event: LedgerRecord) -> [UInt8] {
        var bytes: [UInt8] = []
        appendEvent(pair: pair, event, to: &bytes)
        return bytes
    }

    public static func appendBook(pair: String, _ top: VerifiedBookTop, to bytes: inout [UInt8]) {
        appendHeader("{\"type\":\"book\",\"pair\":", pair: pair, to: &bytes)
        appendTimestamp(",\"timestamp\":\"", top.timestamp, to: &bytes)
        appendTimestamp(",\"received_at\":\"", top.receivedAt, to: &bytes)
        append(",\"checksum\":", to: &bytes)
        ExactDecimal(units: Int64(top.checksum), scale: 0).appendText(to: &bytes)
        append(",\"bids\":", to: &bytes)
        appendLevels(top.bids, to: &bytes)
        append(",\"asks\":", to: &bytes)
        appendLevels(top.asks, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    public static func appendTrade(pair: String, _ trade: TradeRecord, to bytes: inout [UInt8]) {
        appendHeader("{\"type\":\"trade\",\"pair\":", pair: pair, to: &bytes)
        appendTimestamp(",\"timestamp\":\"", trade.timestamp, to: &bytes)
        appendTimestamp(",\"received_at\":\"", trade.receivedAt, to: &bytes)
        append(",\"trade_id\":", to: &bytes)
        bytes.append(contentsOf: String(trade.tradeID).utf8)
        append(",\"side\":", to: &bytes)
        appendString(trade.side, to: &bytes)
        append(",\"price\":", to: &bytes)
        appendQuoted(trade.price, to: &bytes)
        append(",\"qty\":", to: &bytes)
        appendQuoted(trade.qty, to: &bytes)
        append(",\"ord_type\":", to: &bytes)
        appendString(trade.orderType, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    public static func appendEvent(pair: String, _ event: LedgerRecord, to bytes: inout [UInt8]) {
        appendHeader("{\"type\":\"event\",\"pair\":", pair: pair, to: &bytes)
        appendTimestamp(",\"timestamp\":\"", event.timestamp, to: &bytes)
        append(",\"event\":", to: &bytes)
        appendString(event.event.name, to: &bytes)
        append(",\"detail\":", to: &bytes)
        appendString(event.detail, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    /// `{"type":"kline","pair":…,"interval":"1m","interval_begin":…,"open":…,"high":…,"low":…,"close":…,`
    /// `"volume":…,"vwap":…,"trades":12,"complete":true}`; an unknown volume or vwap is `null`.
    public static func kline(pair: String, _ kline: KlineRecord) -> [UInt8] {
        var bytes: [UInt8] = []
        appendKline(pair: pair, kline, to: &bytes)
        return bytes
    }

    public static func appendKline(pair: String, _ kline: KlineRecord, to bytes: inout [UInt8]) {
        appendHeader("{\"type\":\"kline\",\"pair\":", pair: pair, to: &bytes)
        append(",\"interval\":", to: &bytes)
        appendString(kline.interval.rawValue, to: &bytes)
        appendTimestamp(",\"interval_begin\":\"", kline.intervalBegin, to: &bytes)
        append(",\"open\":", to: &bytes)
        appendQuoted(kline.open, to: &bytes)
        append(",\"high\":", to: &bytes)
        appendQuoted(kline.high, to: &bytes)
        append(",\"low\":", to: &bytes)
        appendQuoted(kline.low, to: &bytes)
        append(",\"close\":", to: &bytes)
        appendQuoted(kline.close, to: &bytes)
        append(",\"volume\":", to: &bytes)
        appendOptional(kline.volume, to: &bytes)
        append(",\"vwap\":", to: &bytes)
        appendOptional(kline.vwap, to: &bytes)
        append(",\"trades\":", to: &bytes)
        bytes.append(contentsOf: String(kline.trades).utf8)
        append(kline.complete ? ",\"complete\":true}" : ",\"complete\":false}", to: &bytes)
    }

    // MARK: - Pieces

    private static func append(_ text: StaticString, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private static func appendHeader(_ opening: StaticString, pair: String, to bytes: inout [UInt8]) {
        append(opening, to: &bytes)
        appendString(pair, to: &bytes)
    }

    /// A JSON string literal: as it is when nothing needs escaping (pair names, sides, event names).
    private static func appendString(_ text: String, to bytes: inout [UInt8]) {
        let isPlain = text.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        if isPlain {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: "\""))
        } else {
            bytes.append(contentsOf: JSONString.quoted(text).utf8)
        }
    }

    private static func appendTimestamp(_ key: StaticString, _ timestamp: UTCTimestamp, to bytes: inout [UInt8]) {
        append(key, to: &bytes)
        timestamp.appendText(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    private static func appendOptional(_ value: WideDecimal?, to bytes: inout [UInt8]) {
        guard let value else { return append("null", to: &bytes) }
        bytes.append(UInt8(ascii: "\""))
        value.appendText(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    private static func appendQuoted(_ value: ExactDecimal, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        value.appendText(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `[["p","q"],…]`, written in place like the CSV rows (`ExactDecimal.writeText`): room for
    /// the longest text is made first, the unused tail is cut after.
    private static func appendLevels(_ levels: ArraySlice<PriceLevel>, to bytes: inout [UInt8]) {
        let start = bytes.count
        let room = levels.reduce(2) { $0 + $1.price.maximumTextLength + $1.qty.maximumTextLength + 8 }
        bytes.append(contentsOf: repeatElement(0, count: room))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int in
            let begin = buffer.baseAddress.unsafelyUnwrapped + start
            var cursor = begin
            cursor[0] = UInt8(ascii: "[")
            cursor += 1
            for level in levels {
                if cursor > begin + 1 {
                    cursor[0] = UInt8(ascii: ",")
                    cursor += 1
                }
                cursor[0] = UInt8(ascii: "[")
                cursor[1] = UInt8(ascii: "\"")
                cursor += 2
                cursor += level.price.writeText(to: cursor)
                cursor[0] = UInt8(ascii: "\"")
                cursor[1] = UInt8(ascii: ",")
                cursor[2] = UInt8(ascii: "\"")
                cursor += 3
                cursor += level.qty.writeText(to: cursor)
                cursor[0] = UInt8(ascii: "\"")
                cursor[1] = UInt8(ascii: "]")
                cursor += 2
            }
            cursor[0] = UInt8(ascii: "]")
            cursor += 1
            return cursor - begin
        }
        bytes.removeLast(room - written)
    }
}
