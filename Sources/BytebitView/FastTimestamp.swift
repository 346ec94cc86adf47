import BytebitCore

/// Parses the exact timestamp shape bytebit writes (`2026-11-21T23:59:59.123456Z`, 27 bytes) without
/// allocating; any other RFC 3339 shape falls back to `UTCTimestamp(rfc3339:)`. Reading a day file is
/// dominated by this, so it matters.
public enum FastTimestamp {
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> UTCTimestamp? {
        guard bytes.count == 27, let text = bytes.baseAddress,
              text[4] == 0x2D, text[7] == 0x2D, text[10] == 0x54, text[13] == 0x3A, text[16] == 0x3A,
              text[19] == 0x2E, text[26] == 0x5A
        else { return UTCTimestamp(rfc3339: bytes) }
        var valid = true
        @inline(__always) func number(_ from: Int, _ to: Int) -> Int64 {
            var value: Int64 = 0
            for index in from..<to {
                let digit = text[index] &- 0x30
                if digit > 9 { valid = false }
                value = value &* 10 &+ Int64(digit)
            }
            return value
        }
        let year = number(0, 4), month = number(5, 7), day = number(8, 10)
        let hour = number(11, 13), minute = number(14, 16), second = number(17, 19)
        let micros = number(20, 26)
        guard valid, month >= 1, month <= 12, day >= 1, day <= 31, hour < 24, minute < 60, second < 61 else {
            return nil
        }
        if day > 28 {
            let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            let length: Int64 = month == 2 ? (isLeap ? 29 : 28) : ([4, 6, 9, 11].contains(month) ? 30 : 31)
            if day > length { return nil }
        }
        let days = UTCTimestamp.daysFromCivil(year: year, month: month, day: day)
        let seconds = ((days * 24 + hour) * 60 + minute) * 60 + second
        return UTCTimestamp(microsecondsSince1970: seconds * UTCTimestamp.microsecondsPerSecond + micros)
    }
}
