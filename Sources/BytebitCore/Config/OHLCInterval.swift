/// An interval of Kraken's own `ohlc` channel (docs/kraken-v2.md §6.5), written in the config as
/// `1m`, `5m`, `15m`, `30m`, `1h`, `4h`, `1d`, `1w` or `15d` (Kraken's 1, 5, 15, 30, 60, 240, 1440,
/// 10080 and 21600 minutes). Candles begin at multiples of the interval since 1970-01-01T00:00Z.
public enum OHLCInterval: String, CaseIterable, Sendable, Hashable, Comparable, CustomStringConvertible {
    case oneMinute = "1m"
    case fiveMinutes = "5m"
    case fifteenMinutes = "15m"
    case thirtyMinutes = "30m"
    case oneHour = "1h"
    case fourHours = "4h"
    case oneDay = "1d"
    case oneWeek = "1w"
    case fifteenDays = "15d"

    /// Kraken's `interval` parameter and field.
    public var minutes: Int {
        switch self {
        case .oneMinute: 1
        case .fiveMinutes: 5
        case .fifteenMinutes: 15
        case .thirtyMinutes: 30
        case .oneHour: 60
        case .fourHours: 240
        case .oneDay: 1_440
        case .oneWeek: 10_080
        case .fifteenDays: 21_600
        }
    }

    /// The interval's length.
    public var microseconds: Int64 { Int64(minutes) * 60_000_000 }

    /// The interval Kraken calls `minutes`; nil for one it does not offer.
    public init?(minutes: Int) {
        guard let match = Self.allCases.first(where: { $0.minutes == minutes }) else { return nil }
        self = match
    }

    /// The config spelling, also the file-name part: `ohlc_1m_DATE.csv`.
    public var description: String { rawValue }

    public static func < (lhs: OHLCInterval, rhs: OHLCInterval) -> Bool { lhs.minutes < rhs.minutes }

    /// What the config accepts, for error messages.
    static let expectedForm = "a list of " + allCases.map(\.rawValue).joined(separator: ", ") + " (e.g. [1m, 5m])"
}
