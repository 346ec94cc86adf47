/// Byte-level CSV helpers shared by the row formats.
enum CSVText {
    static let comma = UInt8(ascii: ",")
    static let newline = UInt8(ascii: "\n")
    static let quote = UInt8(ascii: "\"")

    /// Whether a field holding `byte` is quoted (RFC 4180): a comma, a quote or a line break.
    @inline(__always)
    static func needsQuotes(_ byte: UInt8) -> Bool {
        byte == comma || byte == quote || byte == newline || byte == UInt8(ascii: "\r")
    }

    /// Appends a field, quoted (RFC 4180, inner quotes doubled) only when it holds a comma, quote or line break.
    static func appendField(_ text: String, to bytes: inout [UInt8]) {
        let utf8 = text.utf8
        guard utf8.contains(where: needsQuotes) else {
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

    /// Writes a field as `appendField` appends it, at `cursor` (room for twice its bytes and two
    /// quotes); returns the cursor after it. For row writers that fill a scratch buffer in place.
    static func writeField(_ text: String, at cursor: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var text = text
        return text.withUTF8 { utf8 in
            guard utf8.contains(where: needsQuotes) else {
                if let source = utf8.baseAddress { cursor.update(from: source, count: utf8.count) }
                return cursor + utf8.count
            }
            var position = cursor
            position.pointee = quote
            position += 1
            for byte in utf8 {
                if byte == quote {
                    position.pointee = quote
                    position += 1
                }
                position.pointee = byte
                position += 1
            }
            position.pointee = quote
            return position + 1
        }
    }

    /// Appends an unsigned integer in decimal.
    static func appendInteger(_ value: UInt64, to bytes: inout [UInt8]) {
        ExactDecimal(units: Int64(clamping: value), scale: 0).appendText(to: &bytes)
    }
}
