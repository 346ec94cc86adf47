import BytebitCore

/// The part of a day to show: rows with `from ≤ timestamp < to` (either end may be open).
public struct TimeWindow: Sendable, Equatable {
    /// Inclusive start; nil = the start of the file.
    public var from: UTCTimestamp?
    /// Exclusive end; nil = the end of the file.
    public var to: UTCTimestamp?

    public init(from: UTCTimestamp? = nil, to: UTCTimestamp? = nil) {
        self.from = from
        self.to = to
    }

    /// Parses `--from`/`--to` values: a time of day on `date` (`13`, `13:05`, `13:05:30`, `13:05:30.25`)
    /// or a full RFC 3339 timestamp.
    public init(from fromText: String?, to toText: String?, on date: CalendarDate) throws(ViewError) {
        from = try fromText.map { text throws(ViewError) in try Self.instant(text, name: "--from", on: date) }
        to = try toText.map { text throws(ViewError) in try Self.instant(text, name: "--to", on: date) }
        if let from, let to, to <= from {
            throw .invalidOption(name: "--to", value: toText ?? "", expected: "a time after --from")
        }
    }

    /// Whether `instant` falls inside the window.
    public func contains(_ instant: UTCTimestamp) -> Bool {
        if let from, instant < from { return false }
        if let to, instant >= to { return false }
        return true
    }

    /// A time of day on `date`, or a full timestamp.
    static func instant(_ text: String, name: String, on date: CalendarDate) throws(ViewError) -> UTCTimestamp {
        if let full = UTCTimestamp(text) { return full }
        let expected = "a time of day (HH:MM, HH:MM:SS, HH:MM:SS.ffffff) or a timestamp like 2026-11-21T13:05:00Z"
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { throw .invalidOption(name: name, value: text, expected: expected) }
        // "24:00" is the end of the day: a natural --to.
        if parts.count >= 2, parts[0] == "24", parts.dropFirst().allSatisfy({ $0.allSatisfy { $0 == "0" || $0 == "." } }) {
            return date.end
        }
        func padded(_ field: Substring) -> String { field.count == 1 ? "0" + field : String(field) }
        let hours = padded(parts[0])
        let minutes = parts.count > 1 ? padded(parts[1]) : "00"
        var seconds = "00"
        if parts.count > 2 {
            let secondParts = parts[2].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            seconds = padded(secondParts[0])
            if secondParts.count == 2 { seconds += "." + secondParts[1] }
        }
        guard let instant = UTCTimestamp("\(date)T\(hours):\(minutes):\(seconds)Z") else {
            throw .invalidOption(name: name, value: text, expected: expected)
        }
        return instant
    }
}
