/// The trades file's layout (SPEC §4.2): `timestamp,received_at,trade_id,side,price,qty,ord_type`.
public enum TradeCSV {
    /// The header line with its newline (the columns are `RecordedStream.trades`').
    public static let header: [UInt8] = StreamLayout(stream: .trades).header

    /// Appends one row with its newline; `side` is the taker side (`buy`/`sell`), `orderType` Kraken's `ord_type`.
    public static func appendRow(
        to bytes: inout [UInt8],
        timestamp: UTCTimestamp,
        receivedAt: UTCTimestamp,
        tradeID: UInt64,
        side: String,
        price: ExactDecimal,
        qty: ExactDecimal,
        orderType: String
    ) {
        timestamp.appendText(to: &bytes)
        bytes.append(CSVText.comma)
        receivedAt.appendText(to: &bytes)
        bytes.append(CSVText.comma)
        CSVText.appendInteger(tradeID, to: &bytes)
        bytes.append(CSVText.comma)
        CSVText.appendField(side, to: &bytes)
        bytes.append(CSVText.comma)
        price.appendText(to: &bytes)
        bytes.append(CSVText.comma)
        qty.appendText(to: &bytes)
        bytes.append(CSVText.comma)
        CSVText.appendField(orderType, to: &bytes)
        bytes.append(CSVText.newline)
    }
}
