/// The `ohlc` channel (docs/kraken-v2.md §6.5; the capture in live-frames.json). `interval_begin`
/// carries nanoseconds (`…:06:00.000000000Z`), read to the microsecond; the item's deprecated
/// `timestamp` (the interval's end) is skipped.
extension KrakenDecoder {
    static func parseOHLCData(_ scanner: inout JSONScanner) throws(KrakenDecodeError) -> [KrakenCandle] {
        var candles: [KrakenCandle] = []
        try scanner.beginArray(key: "data")
        var isFirst = true
        while try scanner.nextElement(isFirst: &isFirst) {
            candles.append(try readCandle(&scanner))
        }
        return candles
    }

    private static func readCandle(_ scanner: inout JSONScanner) throws(KrakenDecodeError) -> KrakenCandle {
        var symbol: String?
        var open, high, low, close, volume, vwap: ExactDecimal?
        var trades: UInt64?
        var interval: Int?
        var begin: UTCTimestamp?
        try scanner.beginObject(key: "data")
        var isFirstKey = true
        while let key = try scanner.nextKey(isFirst: &isFirstKey) {
            if scanner.matches(key, "symbol") {
                symbol = try scanner.readString(key: "symbol")
            } else if scanner.matches(key, "open") {
                open = try scanner.readDecimal(key: "open")
            } else if scanner.matches(key, "high") {
                high = try scanner.readDecimal(key: "high")
            } else if scanner.matches(key, "low") {
                low = try scanner.readDecimal(key: "low")
            } else if scanner.matches(key, "close") {
                close = try scanner.readDecimal(key: "close")
            } else if scanner.matches(key, "volume") {
                volume = try scanner.readDecimal(key: "volume")
            } else if scanner.matches(key, "vwap") {
                vwap = try scanner.readDecimal(key: "vwap")
            } else if scanner.matches(key, "trades") {
                trades = try scanner.readUInt64(key: "trades")
            } else if scanner.matches(key, "interval") {
                interval = try scanner.readInt(key: "interval", in: 1...1_000_000)
            } else if scanner.matches(key, "interval_begin") {
                begin = try scanner.readTimestamp(key: "interval_begin")
            } else {
                try scanner.skipValue()
            }
        }
        guard let symbol else { throw .missingField("symbol", in: "ohlc") }
        guard let open else { throw .missingField("open", in: "ohlc") }
        guard let high else { throw .missingField("high", in: "ohlc") }
        guard let low else { throw .missingField("low", in: "ohlc") }
        guard let close else { throw .missingField("close", in: "ohlc") }
        guard let volume else { throw .missingField("volume", in: "ohlc") }
        guard let vwap else { throw .missingField("vwap", in: "ohlc") }
        guard let trades else { throw .missingField("trades", in: "ohlc") }
        guard let interval else { throw .missingField("interval", in: "ohlc") }
        guard let begin else { throw .missingField("interval_begin", in: "ohlc") }
        return KrakenCandle(
            symbol: symbol, intervalMinutes: interval, intervalBegin: begin, open: open, high: high, low: low,
            close: close, volume: volume, vwap: vwap, trades: trades)
    }
}
