/// A length of time in whole microseconds, the resolution of every timestamp bytebit writes.
///
/// The one place where a Swift `Duration` becomes microseconds, where users' duration text
/// (`500ms`, `5m`) is parsed, and where spans are printed (see `TimeSpan+Text.swift`). Never a
/// Double: a span read from the config prints back exactly.
public struct TimeSpan: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The length in microseconds (negative when the end precedes the start).
    public var microseconds: Int64

    /// A span of `microseconds`.
    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// `duration` in whole microseconds; sub-microsecond parts are dropped (toward zero).
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    /// The span from `start` to `end`.
    public init(from start: UTCTimestamp, to end: UTCTimestamp) {
        microseconds = end.microseconds - start.microseconds
    }

    /// Whole seconds.
    public static func seconds(_ count: Int64) -> TimeSpan { TimeSpan(microseconds: count * 1_000_000) }

    /// Whole milliseconds.
    public static func milliseconds(_ count: Int64) -> TimeSpan { TimeSpan(microseconds: count * 1_000) }

    /// No time at all.
    public static let zero = TimeSpan(microseconds: 0)

    /// The same span as a Swift `Duration`, for APIs that take one.
    public var duration: Duration { .microseconds(microseconds) }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.microseconds < rhs.microseconds }

    /// The seconds form, `1.250 s`: what log lines and ledger details show.
    public var description: String { secondsText }
}

extension UTCTimestamp {
    /// This instant moved by `span` (backwards when it is negative).
    public func advanced(by span: TimeSpan) -> UTCTimestamp {
        UTCTimestamp(microsecondsSince1970: microseconds + span.microseconds)
    }

    /// Whether at least `span` has passed from this instant to `now`.
    public func hasElapsed(_ span: TimeSpan, by now: UTCTimestamp) -> Bool {
        now.microseconds - microseconds >= span.microseconds
    }
}
