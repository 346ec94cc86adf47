/// Instant and duration arithmetic for the feed, in whole microseconds like `UTCTimestamp`.
enum FeedTime {
    /// The duration in microseconds (sub-microsecond parts dropped).
    static func microseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1_000_000 + parts.attoseconds / 1_000_000_000_000
    }

    /// `instant` moved forward by `duration`.
    static func instant(_ instant: UTCTimestamp, plus duration: Duration) -> UTCTimestamp {
        UTCTimestamp(microsecondsSince1970: instant.microseconds + microseconds(duration))
    }

    /// Whether at least `duration` has passed from `start` to `now`.
    static func hasElapsed(_ duration: Duration, from start: UTCTimestamp, to now: UTCTimestamp) -> Bool {
        now.microseconds - start.microseconds >= microseconds(duration)
    }

    /// Seconds between two instants as text with millisecond precision, for event details.
    static func seconds(from start: UTCTimestamp, to end: UTCTimestamp) -> String {
        seconds(microseconds: end.microseconds - start.microseconds)
    }

    /// Microseconds as seconds text with millisecond precision (`1.250 s`).
    static func seconds(microseconds: Int64) -> String {
        let millis = microseconds / 1000
        let fraction = String(abs(millis % 1000))
        let sign = millis < 0 ? "-" : ""
        return "\(sign)\(abs(millis / 1000)).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) s"
    }
}
