/// A candle length of `klines:` (SPEC §10): one of Kraken's intervals (`OHLCInterval`) that divides a
/// day, so 1m 5m 15m 30m 1h 4h 1d and not 1w or 15d. Aligning to multiples of it since
/// 1970-01-01T00:00:00Z then aligns 4h candles to 00/04/08/… UTC and 1d candles to UTC midnight, and no
/// candle spans two UTC days (one file per interval per day).
public struct KlineInterval: RawRepresentable, CaseIterable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The same length among Kraken's intervals.
    public let ohlc: OHLCInterval

    /// nil for an interval that does not divide a day.
    public init?(_ ohlc: OHLCInterval) {
        guard Self.minutesPerDay % ohlc.minutes == 0 else { return nil }
        self.ohlc = ohlc
    }

    /// The config and file-name spelling (`1m` … `1d`); nil for anything else.
    public init?(rawValue: String) {
        guard let ohlc = OHLCInterval(rawValue: rawValue) else { return nil }
        self.init(ohlc)
    }

    public static let oneMinute = Self(dividing: .oneMinute)
    public static let fiveMinutes = Self(dividing: .fiveMinutes)
    public static let fifteenMinutes = Self(dividing: .fifteenMinutes)
    public static let thirtyMinutes = Self(dividing: .thirtyMinutes)
    public static let oneHour = Self(dividing: .oneHour)
    public static let fourHours = Self(dividing: .fourHours)
    public static let oneDay = Self(dividing: .oneDay)

    /// Kraken's intervals that divide a day, shortest first.
    public static let allCases = OHLCInterval.allCases.compactMap(Self.init)

    /// For the constants above, which divide a day.
    private init(dividing ohlc: OHLCInterval) { self.ohlc = ohlc }

    private static let minutesPerDay = 1_440

    public var rawValue: String { ohlc.rawValue }

    /// The interval's length in microseconds.
    public var microseconds: Int64 { ohlc.microseconds }

    /// The begin of the interval holding `microseconds` (floor, also before 1970).
    public func begin(of microseconds: Int64) -> Int64 {
        let length = self.microseconds
        let remainder = microseconds % length
        return microseconds - (remainder < 0 ? remainder + length : remainder)
    }

    /// Position in `allCases` (a small array index for per-interval state).
    public var index: Int { Self.allCases.firstIndex(of: self) ?? Self.allCases.count }

    /// The values `klines:` accepts, in order, for error messages.
    public static var allowedText: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public static func < (lhs: KlineInterval, rhs: KlineInterval) -> Bool { lhs.ohlc < rhs.ohlc }

    public var description: String { rawValue }
}
