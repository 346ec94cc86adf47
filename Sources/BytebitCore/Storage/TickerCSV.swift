/// The ticker file's layout (SPEC §10): `timestamp, received_at, bid, bid_qty, ask, ask_qty, last,
/// volume, vwap, low, high, change, change_pct`, every number as Kraken printed it.
public enum TickerCSV {
    /// The header line with its newline (the columns are `RecordedStream.ticker`'s).
    public static let header: [UInt8] = StreamLayout(stream: .ticker).header

    /// Appends one row with its newline.
    public static func appendRow(to bytes: inout [UInt8], _ ticker: TickerRecord) {
        ticker.timestamp.appendText(to: &bytes)
        bytes.append(CSVText.comma)
        ticker.receivedAt.appendText(to: &bytes)
        for number in [
            ticker.bid, ticker.bidQty, ticker.ask, ticker.askQty, ticker.last, ticker.volume, ticker.vwap, ticker.low,
            ticker.high, ticker.change, ticker.changePercent,
        ] {
            bytes.append(CSVText.comma)
            number.appendText(to: &bytes)
        }
        bytes.append(CSVText.newline)
    }
}
