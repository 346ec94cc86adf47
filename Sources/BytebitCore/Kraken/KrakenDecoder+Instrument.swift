/// The `instrument` channel: `data` is an object with `assets` (skipped) and `pairs`. Its numbers
/// may use exponents (`1E-8`); the fields we do not read are only checked for JSON syntax.
extension KrakenDecoder {
    static func parseInstrumentData(_ scanner: inout JSONScanner) throws(KrakenDecodeError) -> [KrakenInstrumentPair] {
        var pairs: [KrakenInstrumentPair] = []
        try scanner.beginObject(key: "data")
        var isFirstKey = true
        while let key = try scanner.nextKey(isFirst: &isFirstKey) {
            guard scanner.matches(key, "pairs") else {
                try scanner.skipValue()
                continue
            }
            try scanner.beginArray(key: "pairs")
            var isFirst = true
            while try scanner.nextElement(isFirst: &isFirst) {
                pairs.append(try readPair(&scanner))
            }
        }
        return pairs
    }

    private static func readPair(_ scanner: inout JSONScanner) throws(KrakenDecodeError) -> KrakenInstrumentPair {
        var symbol: String?
        var pricePrecision: Int?
        var qtyPrecision: Int?
        var status: String?
        try scanner.beginObject(key: "pairs")
        var isFirstKey = true
        while let key = try scanner.nextKey(isFirst: &isFirstKey) {
            if scanner.matches(key, "symbol") {
                symbol = try scanner.readString(key: "symbol")
            } else if scanner.matches(key, "price_precision") {
                pricePrecision = try scanner.readInt(key: "price_precision", in: 0...18)
            } else if scanner.matches(key, "qty_precision") {
                qtyPrecision = try scanner.readInt(key: "qty_precision", in: 0...18)
            } else if scanner.matches(key, "status") {
                status = try scanner.readString(key: "status")
            } else {
                try scanner.skipValue()
            }
        }
        guard let symbol else { throw .missingField("symbol", in: "instrument pair") }
        guard let pricePrecision else { throw .missingField("price_precision", in: "instrument pair \(symbol)") }
        guard let qtyPrecision else { throw .missingField("qty_precision", in: "instrument pair \(symbol)") }
        guard let status else { throw .missingField("status", in: "instrument pair \(symbol)") }
        return KrakenInstrumentPair(
            symbol: symbol, pricePrecision: Int8(pricePrecision), qtyPrecision: Int8(qtyPrecision), status: status)
    }
}
