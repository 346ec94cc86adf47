/// The `trade` channel.
extension KrakenDecoder {
    mutating func parseTradeData(_ scanner: inout JSONScanner) throws(KrakenDecodeError) {
        tradeList.removeAll(keepingCapacity: true)
        try scanner.beginArray(key: "data")
        var isFirst = true
        while try scanner.nextElement(isFirst: &isFirst) {
            tradeList.append(try readTrade(&scanner))
        }
    }

    private mutating func readTrade(_ scanner: inout JSONScanner) throws(KrakenDecodeError) -> KrakenTrade {
        var symbol: String?
        var side: KrakenTradeSide?
        var price: ExactDecimal?
        var qty: ExactDecimal?
        var ordType: String?
        var tradeID: UInt64?
        var timestamp: UTCTimestamp?
        try scanner.beginObject(key: "data")
        var isFirstKey = true
        while let key = try scanner.nextKey(isFirst: &isFirstKey) {
            if scanner.matches(key, "symbol") {
                symbol = try tradeSymbol.read(&scanner)
            } else if scanner.matches(key, "side") {
                let raw = try scanner.readRawString(key: "side")
                if scanner.matches(raw, "buy") {
                    side = .buy
                } else if scanner.matches(raw, "sell") {
                    side = .sell
                } else {
                    throw .invalidValue(key: "side", value: scanner.string(raw))
                }
            } else if scanner.matches(key, "price") {
                price = try scanner.readDecimal(key: "price")
            } else if scanner.matches(key, "qty") {
                qty = try scanner.readDecimal(key: "qty")
            } else if scanner.matches(key, "ord_type") {
                // Kraken's two order types as constants (no String made per trade).
                let raw = try scanner.readRawString(key: "ord_type")
                ordType = scanner.matches(raw, "limit") ? "limit" : scanner.matches(raw, "market") ? "market" : scanner.string(raw)
            } else if scanner.matches(key, "trade_id") {
                tradeID = try scanner.readUInt64(key: "trade_id")
            } else if scanner.matches(key, "timestamp") {
                timestamp = try scanner.readTimestamp(key: "timestamp", cache: &timestampCache)
            } else {
                try scanner.skipValue()
            }
        }
        guard let symbol else { throw .missingField("symbol", in: "trade") }
        guard let side else { throw .missingField("side", in: "trade") }
        guard let price else { throw .missingField("price", in: "trade") }
        guard let qty else { throw .missingField("qty", in: "trade") }
        guard let ordType else { throw .missingField("ord_type", in: "trade") }
        guard let tradeID else { throw .missingField("trade_id", in: "trade") }
        guard let timestamp else { throw .missingField("timestamp", in: "trade") }
        return KrakenTrade(
            symbol: symbol, side: side, price: price, qty: qty, ordType: ordType, tradeID: tradeID,
            timestamp: timestamp)
    }
}
