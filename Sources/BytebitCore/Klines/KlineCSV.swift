/// The klines files' layout (SPEC §10): `interval_begin,open,high,low,close,volume,vwap,trades,complete`.
public enum KlineCSV {
    public static let columns = ["interval_begin", "open", "high", "low", "close", "volume", "vwap", "trades", "complete"]

    /// Appends one row with its newline; an unknown volume or vwap is an empty cell.
    public static func appendRow(_ kline: KlineRecord, to bytes: inout [UInt8]) {
        kline.intervalBegin.appendText(to: &bytes)
        for price in [kline.open, kline.high, kline.low, kline.close] {
            bytes.append(CSVText.comma)
            price.appendText(to: &bytes)
        }
        bytes.append(CSVText.comma)
        kline.volume?.appendText(to: &bytes)
        bytes.append(CSVText.comma)
        kline.vwap?.appendText(to: &bytes)
        bytes.append(CSVText.comma)
        CSVText.appendInteger(UInt64(kline.trades), to: &bytes)
        bytes.append(contentsOf: kline.complete ? Self.trueText : Self.falseText)
    }

    private static let trueText = Array(",true\n".utf8)
    private static let falseText = Array(",false\n".utf8)
}
