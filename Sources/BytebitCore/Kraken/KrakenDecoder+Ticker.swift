/// The `ticker` channel (docs/kraken-v2.md §6.4). Not on the book's hot path: an array per frame.
extension KrakenDecoder {
    static func parseTickerData(_ scanner: inout JSONScanner) throws(KrakenDecodeError) -> [KrakenTicker] {
        var entries: [KrakenTicker] = []
        try scanner.beginArray(key: "data")
        var isFirst = true
        while try scanner.nextElement(isFirst: &isFirst) {
            entries.append(try readTicker(&scanner))
        }
        return entries
    }

    private static func readTicker(_ scanner: inout JSONScanner) throws(KrakenDecodeError) -> KrakenTicker {
        var symbol: String?
        var bid, bidQty, ask, askQty, last, volume, vwap, low, high, change, changePercent: ExactDecimal?
        var timestamp: UTCTimestamp?
        try scanner.beginObject(key: "data")
        var isFirstKey = true
        while let key = try scanner.nextKey(isFirst: &isFirstKey) {
            if scanner.matches(key, "symbol") {
                symbol = try scanner.readString(key: "symbol")
            } else if scanner.matches(key, "bid") {
                bid = try scanner.readDecimal(key: "bid")
            } else if scanner.matches(key, "bid_qty") {
                bidQty = try scanner.readDecimal(key: "bid_qty")
            } else if scanner.matches(key, "ask") {
                ask = try scanner.readDecimal(key: "ask")
            } else if scanner.matches(key, "ask_qty") {
                askQty = try scanner.readDecimal(key: "ask_qty")
            } else if scanner.matches(key, "last") {
                last = try scanner.readDecimal(key: "last")
            } else if scanner.matches(key, "volume") {
                volume = try scanner.readDecimal(key: "volume")
            } else if scanner.matches(key, "vwap") {
                vwap = try scanner.readDecimal(key: "vwap")
            } else if scanner.matches(key, "low") {
                low = try scanner.readDecimal(key: "low")
            } else if scanner.matches(key, "high") {
                high = try scanner.readDecimal(key: "high")
            } else if scanner.matches(key, "change") {
                change = try scanner.readDecimal(key: "change")
            } else if scanner.matches(key, "change_pct") {
                changePercent = try scanner.readDecimal(key: "change_pct")
            } else if scanner.matches(key, "timestamp") {
                if try scanner.skipNull() { continue }
                timestamp = try scanner.readTimestamp(key: "timestamp")
            } else {
                try scanner.skipValue()
            }
        }
        guard let symbol else { throw .missingField("symbol", in: "ticker") }
        guard let bid else { throw .missingField("bid", in: "ticker") }
        guard let bidQty else { throw .missingField("bid_qty", in: "ticker") }
        guard let ask else { throw .missingField("ask", in: "ticker") }
        guard let askQty else { throw .missingField("ask_qty", in: "ticker") }
        guard let last else { throw .missingField("last", in: "ticker") }
        guard let volume else { throw .missingField("volume", in: "ticker") }
        guard let vwap else { throw .missingField("vwap", in: "ticker") }
        guard let low else { throw .missingField("low", in: "ticker") }
        guard let high else { throw .missingField("high", in: "ticker") }
        guard let change else { throw .missingField("change", in: "ticker") }
        guard let changePercent else { throw .missingField("change_pct", in: "ticker") }
        return KrakenTicker(
            symbol: symbol, bid: bid, bidQty: bidQty, ask: ask, askQty: askQty, last: last, volume: volume,
            vwap: vwap, low: low, high: high, change: change, changePercent: changePercent, timestamp: timestamp)
    }
}
