/// Kraken timestamps (`2026-08-26T15:16:16.730423Z`, 0–9 fraction digits) parsed in place: the
/// general `UTCTimestamp(rfc3339:)` copies its input into an array, which costs an allocation per
/// book message on the hot path. Same rules, no copy.
extension JSONScanner {
    /// Reads an RFC 3339 UTC timestamp string for `key`.
    mutating func readTimestamp(key: StaticString) throws(KrakenDecodeError) -> UTCTimestamp {
        let raw = try readRawString(key: key)
        guard !raw.hasEscapes, let timestamp = parseTimestamp(from: raw.start, to: raw.end) else {
            throw .invalidValue(key: key.description, value: string(raw))
        }
        return timestamp
    }

    private func parseTimestamp(from start: Int, to end: Int) -> UTCTimestamp? {
        let length = end - start
        guard length >= 20, length <= 30, bytes[end - 1] == UInt8(ascii: "Z"),
            bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-"),
            bytes[start + 10] | 0x20 == UInt8(ascii: "t"),
            bytes[start + 13] == UInt8(ascii: ":"), bytes[start + 16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ from: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for index in start + from..<start + from + count {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var micros: Int64 = 0
        if length > 20 {
            let digits = length - 21
            guard bytes[start + 19] == UInt8(ascii: "."), digits >= 1, let fraction = number(20, digits) else {
                return nil
            }
            var scaled = fraction
            if digits < 6 {
                for _ in digits..<6 { scaled *= 10 }
            } else {
                for _ in 6..<digits { scaled /= 10 }
            }
            micros = scaled
        }
        let days = UTCTimestamp.daysFromCivil(year: year, month: month, day: day)
        let seconds = ((days * 24 + hour) * 60 + minute) * 60 + second
        return UTCTimestamp(microsecondsSince1970: seconds * UTCTimestamp.microsecondsPerSecond + micros)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
