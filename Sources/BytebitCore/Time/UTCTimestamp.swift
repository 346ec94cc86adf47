/// An instant in UTC with microsecond resolution, as Kraken prints it and as bytebit writes it
/// (`2026-11-21T23:59:59.123456Z`). Integer arithmetic only: no `Date`, no formatter, no locale.
public struct UTCTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    public init(microsecondsSince1970: Int64) {
        self.microseconds = microsecondsSince1970
    }

    public static let microsecondsPerSecond: Int64 = 1_000_000
    public static let microsecondsPerDay: Int64 = 86_400 * microsecondsPerSecond

    /// Parses RFC 3339 UTC (`YYYY-MM-DDTHH:MM:SS[.fraction]Z`, 0–9 fraction digits; digits past the
    /// sixth are dropped). Nil for anything else.
    public init?<Bytes: Collection>(rfc3339 bytes: Bytes) where Bytes.Element == UInt8 {
        let text = Array(bytes)
        guard text.count >= 20, text.last == UInt8(ascii: "Z"),
              text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
              text[10] == UInt8(ascii: "T") || text[10] == UInt8(ascii: "t"),
              text[13] == UInt8(ascii: ":"), text[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                let byte = text[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var micros: Int64 = 0
        if text.count > 20 {
            guard text[19] == UInt8(ascii: "."), text.count >= 22, text.count <= 30,
                  let fraction = number(20..<(text.count - 1))
            else { return nil }
            let digits = text.count - 21
            micros = digits <= 6
                ? fraction * Self.pow10(6 - digits)
                : fraction / Self.pow10(digits - 6)
        } else if text.count != 20 {
            return nil
        }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let seconds = ((days * 24 + hour) * 60 + minute) * 60 + second
        self.microseconds = seconds * Self.microsecondsPerSecond + micros
    }

    /// Parses RFC 3339 text; see `init?(rfc3339:)`.
    public init?(_ text: some StringProtocol) {
        self.init(rfc3339: Array(text.utf8))
    }

    public static func < (lhs: UTCTimestamp, rhs: UTCTimestamp) -> Bool {
        lhs.microseconds < rhs.microseconds
    }

    /// Days since 1970-01-01 (floor, so instants before 1970 land on the right day).
    public var dayNumber: Int64 {
        let (quotient, remainder) = microseconds.quotientAndRemainder(dividingBy: Self.microsecondsPerDay)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// The UTC calendar date, `YYYY-MM-DD`: the key of the daily files.
    public var utcDate: String {
        let (year, month, day) = Self.civilFromDays(dayNumber)
        return "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))"
    }

    /// `2026-11-21T23:59:59.123456Z`.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the RFC 3339 text with exactly six fraction digits.
    public func appendText(to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.textLength) { buffer in
            let length = writeText(to: buffer.baseAddress.unsafelyUnwrapped)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<length]))
        }
    }

    /// The length of the text: `2026-11-21T23:59:59.123456Z`.
    public static let textLength = 27

    /// Writes the text at `start` (room for `textLength` bytes) and returns its length: the CSV hot
    /// path writes rows in place with this.
    public func writeText(to start: UnsafeMutablePointer<UInt8>) -> Int {
        let days = dayNumber
        let (year, month, day) = Self.civilFromDays(days)
        let microsOfDay = microseconds - days * Self.microsecondsPerDay
        let secondsOfDay = microsOfDay / Self.microsecondsPerSecond
        func put(_ value: Int64, at offset: Int, width: Int, then separator: UInt8) {
            var remaining = value
            for position in stride(from: offset + width - 1, through: offset, by: -1) {
                start[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            }
            start[offset + width] = separator
        }
        // Years outside 0...9999 are not Kraken's; keep four digits (mod 10000) rather than trap.
        put(((year % 10_000) + 10_000) % 10_000, at: 0, width: 4, then: UInt8(ascii: "-"))
        put(month, at: 5, width: 2, then: UInt8(ascii: "-"))
        put(day, at: 8, width: 2, then: UInt8(ascii: "T"))
        put(secondsOfDay / 3600, at: 11, width: 2, then: UInt8(ascii: ":"))
        put(secondsOfDay / 60 % 60, at: 14, width: 2, then: UInt8(ascii: ":"))
        put(secondsOfDay % 60, at: 17, width: 2, then: UInt8(ascii: "."))
        put(microsOfDay % Self.microsecondsPerSecond, at: 20, width: 6, then: UInt8(ascii: "Z"))
        return Self.textLength
    }

    private static func pow10(_ exponent: Int) -> Int64 {
        (0..<max(exponent, 0)).reduce(Int64(1)) { value, _ in value * 10 }
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func isLeap(_ year: Int64) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's civil-date algorithms: exact for every proleptic Gregorian date.
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
