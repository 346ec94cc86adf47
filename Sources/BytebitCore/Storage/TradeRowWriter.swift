/// Writes trade rows (SPEC §4.2, the bytes of `TradeCSV.appendRow`) the way `OrderBookRowWriter`
/// writes book rows: into a scratch buffer kept between rows, the two timestamps reusing their text
/// up to the second (`TimestampTextCache`), the side and order type copied from their UTF-8 when
/// they need no quotes, then appended with one copy. `TradeCSV.appendRow` formatted both timestamps
/// in full and appended field by field (~3,000 instructions per trade row, a fifth of a trade
/// message's cost; issue 10, callgrind).
struct TradeRowWriter: Sendable {
    private var scratch: [UInt8] = []
    private var timestampText = TimestampTextCache()
    private var receivedAtText = TimestampTextCache()

    init() {}

    /// Appends the row of one trade; the same bytes as `TradeCSV.appendRow` with these arguments.
    mutating func appendRow(
        to bytes: inout [UInt8], timestamp: UTCTimestamp, receivedAt: UTCTimestamp, tradeID: UInt64,
        side: String, price: ExactDecimal, qty: ExactDecimal, orderType: String
    ) {
        let tradeNumber = ExactDecimal(units: Int64(clamping: tradeID), scale: 0)
        // A quoted field at worst doubles every byte and adds its two quotes.
        let room = 2 * (UTCTimestamp.textLength + 1) + tradeNumber.maximumTextLength + 1
            + 2 * side.utf8.count + 3 + price.maximumTextLength + 1 + qty.maximumTextLength + 1
            + 2 * orderType.utf8.count + 3
        if scratch.count < room { scratch = Array(repeating: 0, count: room) }
        var timestampText = self.timestampText
        var receivedAtText = self.receivedAtText
        let written = scratch.withUnsafeMutableBufferPointer { buffer -> Int in
            let base = buffer.baseAddress.unsafelyUnwrapped
            var cursor = base
            cursor += timestampText.write(timestamp, to: cursor)
            cursor = Self.comma(at: cursor)
            cursor += receivedAtText.write(receivedAt, to: cursor)
            cursor = Self.comma(at: cursor)
            cursor += tradeNumber.writeText(to: cursor)
            cursor = Self.comma(at: cursor)
            cursor = CSVText.writeField(side, at: cursor)
            cursor = Self.comma(at: cursor)
            cursor += price.writeText(to: cursor)
            cursor = Self.comma(at: cursor)
            cursor += qty.writeText(to: cursor)
            cursor = Self.comma(at: cursor)
            cursor = CSVText.writeField(orderType, at: cursor)
            cursor.pointee = CSVText.newline
            return cursor + 1 - base
        }
        self.timestampText = timestampText
        self.receivedAtText = receivedAtText
        scratch.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<written])) }
    }

    @inline(__always)
    private static func comma(at cursor: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        cursor.pointee = CSVText.comma
        return cursor + 1
    }
}
