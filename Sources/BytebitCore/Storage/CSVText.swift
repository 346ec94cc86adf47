/// Byte-level CSV helpers shared by the row formats.
enum CSVText {
    static let comma = UInt8(ascii: ",")
    static let newline = UInt8(ascii: "\n")
    static let quote = UInt8(ascii: "\"")

    /// Appends a field, quoted (RFC 4180, inner quotes doubled) only when it holds a comma, quote or line break.
    static func appendField(_ text: String, to bytes: inout [UInt8]) {
        let utf8 = text.utf8
        let needsQuotes = utf8.contains { $0 == comma || $0 == quote || $0 == newline || $0 == UInt8(ascii: "\r") }
        guard needsQuotes else {
            bytes.append(contentsOf: utf8)
            return
        }
        bytes.append(quote)
        for byte in utf8 {
            if byte == quote { bytes.append(quote) }
            bytes.append(byte)
        }
        bytes.append(quote)
    }

    /// Appends an unsigned integer in decimal.
    static func appendInteger(_ value: UInt64, to bytes: inout [UInt8]) {
        ExactDecimal(units: Int64(clamping: value), scale: 0).appendText(to: &bytes)
    }
}
