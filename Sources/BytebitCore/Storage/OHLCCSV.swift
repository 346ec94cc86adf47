/// The layout of Kraken's candles (SPEC §10): `interval_begin, open, high, low, close, volume, vwap,
/// trades`, every number as Kraken printed it.
public enum OHLCCSV {
    /// The header line with its newline (the same for every interval).
    public static let header: [UInt8] = StreamLayout(stream: .ohlc(.oneMinute)).header

    /// Appends one row with its newline.
    public static func appendRow(to bytes: inout [UInt8], _ candle: OHLCRecord) {
        candle.intervalBegin.appendText(to: &bytes)
        for number in [candle.open, candle.high, candle.low, candle.close, candle.volume, candle.vwap] {
            bytes.append(CSVText.comma)
            number.appendText(to: &bytes)
        }
        bytes.append(CSVText.comma)
        CSVText.appendInteger(candle.trades, to: &bytes)
        bytes.append(CSVText.newline)
    }
}
