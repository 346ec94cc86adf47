/// A candle length of `klines:` (SPEC §10): 1m 5m 15m 30m 1h 4h 1d. Every length divides a day, so
/// aligning to multiples of it since 1970-01-01T00:00:00Z aligns 4h candles to 00/04/08/… UTC and 1d
/// candles to UTC midnight, and no candle spans two UTC days (one file per interval per day).
public enum KlineInterval: String, CaseIterable, Sendable, Hashable, Comparable, CustomStringConvertible {
    case oneMinute = "1m"
    case fiveMinutes = "5m"
    case fifteenMinutes = "15m"
    case thirtyMinutes = "30m"
    case oneHour = "1h"
    case fourHours = "4h"
    case oneDay = "1d"

    /// The interval's length in microseconds.
    public var microseconds: Int64 {
        let minute: Int64 = 60_000_000
        switch self {
        case .oneMinute: return minute
        case .fiveMinutes: return 5 * minute
        case .fifteenMinutes: return 15 * minute
        case .thirtyMinutes: return 30 * minute
        case .oneHour: return 60 * minute
        case .fourHours: return 240 * minute
        case .oneDay: return 1_440 * minute
        }
    }

    /// The begin of the interval holding `microseconds` (floor, also before 1970).
    public func begin(of microseconds: Int64) -> Int64 {
        let length = self.microseconds
        let remainder = microseconds % length
        return microseconds - (remainder < 0 ? remainder + length : remainder)
    }

    /// Position in `allCases` (a small array index for per-interval state).
    public var index: Int {
        switch self {
        case .oneMinute: 0
        case .fiveMinutes: 1
        case .fifteenMinutes: 2
        case .thirtyMinutes: 3
        case .oneHour: 4
        case .fourHours: 5
        case .oneDay: 6
        }
    }

    /// The values `klines:` accepts, in order, for error messages.
    public static var allowedText: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public static func < (lhs: KlineInterval, rhs: KlineInterval) -> Bool { lhs.index < rhs.index }

    public var description: String { rawValue }
}
