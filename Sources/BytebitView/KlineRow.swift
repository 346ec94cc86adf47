import BytebitCore

/// One row of a klines file (`interval_begin,open,high,low,close,volume,vwap,trades,complete`), the
/// numbers exact as written (volume and vwap kept as text: they may exceed 64 bits).
public struct KlineRow: Sendable, Equatable {
    public var intervalBegin: UTCTimestamp
    public var open: ExactDecimal
    public var high: ExactDecimal
    public var low: ExactDecimal
    public var close: ExactDecimal
    /// Empty when the builder could not sum it exactly.
    public var volume: String
    public var vwap: String
    public var trades: Int
    public var complete: Bool
}

extension CSVFields {
    /// The klines row in these fields.
    func klineRow() -> Result<KlineRow, RowDefect> {
        guard count == KlineCSV.columns.count else {
            return .failure(RowDefect(reason: "expected \(KlineCSV.columns.count) fields, found \(count)"))
        }
        guard let begin = timestamp(0) else { return .failure(RowDefect(reason: "bad interval_begin \"\(text(0))\"")) }
        var prices: [ExactDecimal] = []
        for index in 1...4 {
            guard let price = decimal(index) else {
                return .failure(RowDefect(reason: "bad \(KlineCSV.columns[index]) \"\(text(index))\""))
            }
            prices.append(price)
        }
        for index in 5...6 where !isEmpty(index) && !Self.isDecimalText(text(index)) {
            return .failure(RowDefect(reason: "bad \(KlineCSV.columns[index]) \"\(text(index))\""))
        }
        guard let trades = Int(text(7)), trades > 0 else {
            return .failure(RowDefect(reason: "bad trades \"\(text(7))\""))
        }
        let complete: Bool
        switch text(8) {
        case "true": complete = true
        case "false": complete = false
        default: return .failure(RowDefect(reason: "bad complete \"\(text(8))\" (expected true or false)"))
        }
        return .success(KlineRow(
            intervalBegin: begin, open: prices[0], high: prices[1], low: prices[2], close: prices[3],
            volume: text(5), vwap: text(6), trades: trades, complete: complete))
    }

    private static func isDecimalText(_ text: String) -> Bool {
        var sawPoint = false
        var digits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                if sawPoint || digits == 0 { return false }
                sawPoint = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digits += 1
            } else {
                return false
            }
        }
        return digits > 0 && text.utf8.last != UInt8(ascii: ".")
    }
}
