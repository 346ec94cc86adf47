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
        appendDecimal(ExactDecimal(units: Int64(clamping: value), scale: 0), to: &bytes)
    }

    /// Appends `ExactDecimal.description`'s text. Digits go into a stack buffer, then one copy: the
    /// shared `appendText` reverses through an array slice, which allocates (measured ~300 ns per
    /// number, and a 25-level row holds 100 numbers).
    static func appendDecimal(_ number: ExactDecimal, to bytes: inout [UInt8]) {
        guard number.scale >= 0 else {
            number.appendText(to: &bytes)
            return
        }
        let scale = Int(number.scale)
        // 19 digits, up to 127 leading fraction zeros, the point and the sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 160) { buffer in
            var magnitude = number.units.magnitude
            var position = buffer.count
            var index = 0
            while magnitude > 0 || index <= scale {
                if index == scale, scale > 0 {
                    position -= 1
                    buffer[position] = UInt8(ascii: ".")
                }
                position -= 1
                buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
                index += 1
            }
            if number.units < 0 {
                position -= 1
                buffer[position] = UInt8(ascii: "-")
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[position...]))
        }
    }

    /// Appends `UTCTimestamp.description`'s text (`2026-11-21T23:59:59.123456Z`), written forward
    /// for the same reason as `appendDecimal`.
    static func appendTimestamp(_ instant: UTCTimestamp, to bytes: inout [UInt8]) {
        let days = instant.dayNumber
        let (year, month, day) = UTCTimestamp.civilFromDays(days)
        guard (0...9999).contains(year) else {
            instant.appendText(to: &bytes)
            return
        }
        let microsOfDay = instant.microseconds - days * UTCTimestamp.microsecondsPerDay
        let secondsOfDay = microsOfDay / UTCTimestamp.microsecondsPerSecond
        let start = bytes.count
        bytes.append(contentsOf: timestampTemplate)
        bytes.withUnsafeMutableBufferPointer { buffer in
            func put(_ value: Int64, at offset: Int, width: Int) {
                var remaining = value
                var position = start + offset + width - 1
                while position >= start + offset {
                    buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                    remaining /= 10
                    position -= 1
                }
            }
            put(year, at: 0, width: 4)
            put(month, at: 5, width: 2)
            put(day, at: 8, width: 2)
            put(secondsOfDay / 3600, at: 11, width: 2)
            put(secondsOfDay / 60 % 60, at: 14, width: 2)
            put(secondsOfDay % 60, at: 17, width: 2)
            put(microsOfDay % UTCTimestamp.microsecondsPerSecond, at: 20, width: 6)
        }
    }

    private static let timestampTemplate: [UInt8] = Array("0000-00-00T00:00:00.000000Z".utf8)
}
