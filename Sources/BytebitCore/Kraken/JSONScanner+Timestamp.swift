/// Kraken timestamps (`2026-08-26T15:16:16.730423Z`, 0–9 fraction digits) parsed in place: the
/// general `UTCTimestamp(rfc3339:)` copies its input into an array, which costs an allocation per
/// book message on the hot path. Same rules, no copy.
extension JSONScanner {
    /// Reads an RFC 3339 UTC timestamp string for `key`.
    mutating func readTimestamp(key: StaticString) throws(KrakenDecodeError) -> UTCTimestamp {
        var cache = TimestampMinuteCache()
        return try readTimestamp(key: key, cache: &cache)
    }

    /// Reads an RFC 3339 UTC timestamp string for `key`; a date, hour and minute equal to the
    /// cached ones (consecutive messages share them) are not parsed again.
    mutating func readTimestamp(key: StaticString, cache: inout TimestampMinuteCache) throws(KrakenDecodeError)
        -> UTCTimestamp
    {
        let raw = try readRawString(key: key)
        guard !raw.hasEscapes, let timestamp = parseTimestamp(from: raw.start, to: raw.end, cache: &cache) else {
            throw .invalidValue(key: key.description, value: string(raw))
        }
        return timestamp
    }

    private func parseTimestamp(from start: Int, to end: Int, cache: inout TimestampMinuteCache) -> UTCTimestamp? {
        let length = end - start
        guard length >= 20, length <= 30, bytes[end - 1] == UInt8(ascii: "Z"), bytes[start + 16] == UInt8(ascii: ":")
        else { return nil }
        // `YYYY-MM-DDTHH:MM` (16 bytes) as two words: the cache's key.
        let head = bytes.loadUnaligned(fromByteOffset: start, as: UInt64.self)
        let tail = bytes.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self)
        let minuteStart: Int64
        if cache.isValid, cache.head == head, cache.tail == tail {
            minuteStart = cache.minuteStart
        } else {
            guard let parsed = parseMinute(from: start) else { return nil }
            minuteStart = parsed
            cache = TimestampMinuteCache(isValid: true, head: head, tail: tail, minuteStart: parsed)
        }
        guard let second = number(start + 17, 2), second < 61 else { return nil }
        var micros: Int64 = 0
        if length > 20 {
            let digits = length - 21
            guard bytes[start + 19] == UInt8(ascii: "."), digits >= 1, let fraction = number(start + 20, digits) else {
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
        return UTCTimestamp(microsecondsSince1970: minuteStart + second * UTCTimestamp.microsecondsPerSecond + micros)
    }

    /// The microseconds since 1970 of the minute `YYYY-MM-DDTHH:MM` at `start`, validated.
    private func parseMinute(from start: Int) -> Int64? {
        guard bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-"),
            bytes[start + 10] | 0x20 == UInt8(ascii: "t"), bytes[start + 13] == UInt8(ascii: ":")
        else { return nil }
        guard let year = number(start, 4), let month = number(start + 5, 2), let day = number(start + 8, 2),
            let hour = number(start + 11, 2), let minute = number(start + 14, 2),
            (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
            hour < 24, minute < 60
        else { return nil }
        let days = UTCTimestamp.daysFromCivil(year: year, month: month, day: day)
        return ((days * 24 + hour) * 60 + minute) * 60 * UTCTimestamp.microsecondsPerSecond
    }

    /// The decimal digits at `from..<from + count`, or nil if one is not a digit.
    @inline(__always)
    private func number(_ from: Int, _ count: Int) -> Int64? {
        var value: Int64 = 0
        for index in from..<from + count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// The last timestamp's minute (`YYYY-MM-DDTHH:MM` as two words) and its microseconds since 1970:
/// a decoder keeps one so each message parses only its seconds and fraction.
struct TimestampMinuteCache: Sendable {
    var isValid = false
    var head: UInt64 = 0
    var tail: UInt64 = 0
    var minuteStart: Int64 = 0
}
