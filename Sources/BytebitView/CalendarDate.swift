import BytebitCore

/// A UTC calendar day, `YYYY-MM-DD`: the key of the daily files.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Midnight UTC at the start of the day.
    public let start: UTCTimestamp

    /// Parses `YYYY-MM-DD`; nil for anything else (including impossible days like 2026-02-30).
    public init?(_ text: String) {
        guard text.utf8.count == 10, let midnight = UTCTimestamp("\(text)T00:00:00Z") else { return nil }
        start = midnight
    }

    /// The day that contains `instant`.
    public init(containing instant: UTCTimestamp) {
        start = UTCTimestamp(microsecondsSince1970: instant.dayNumber * UTCTimestamp.microsecondsPerDay)
    }

    /// Parses what `--date` accepts: `YYYY-MM-DD`, `today`, `yesterday` (relative to `now`, in UTC).
    public init(option text: String, now: UTCTimestamp) throws(ViewError) {
        switch text.lowercased() {
        case "today":
            self.init(containing: now)
        case "yesterday":
            self.init(containing: UTCTimestamp(microsecondsSince1970: now.microseconds - UTCTimestamp.microsecondsPerDay))
        default:
            guard let date = CalendarDate(text) else {
                throw .invalidOption(name: "--date", value: text, expected: "YYYY-MM-DD, today or yesterday")
            }
            self = date
        }
    }

    /// Midnight at the start of the next day (the exclusive end of this one).
    public var end: UTCTimestamp {
        UTCTimestamp(microsecondsSince1970: start.microseconds + UTCTimestamp.microsecondsPerDay)
    }

    /// The following day.
    public var next: CalendarDate { CalendarDate(containing: end) }

    public var description: String { start.utcDate }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.start < rhs.start }
}
