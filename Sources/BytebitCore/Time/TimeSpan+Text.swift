/// Reading and writing spans as text: one type, one style per audience.
extension TimeSpan {
    /// The suffixes users may write in the config and on the command line, and their length.
    public static let configUnits: [(suffix: String, microseconds: Int64)] = [
        ("ms", 1_000), ("s", 1_000_000), ("m", 60_000_000), ("h", 3_600_000_000),
    ]

    /// What a config duration must look like, for error messages.
    public static let expectedConfigForm =
        "a positive whole number with a unit ms, s, m or h, e.g. 500ms, 1s, 5m, 2h"

    /// Parses a config duration (`500ms`, `1s`, `5m`, `2h`); nil unless `text` is a positive whole
    /// number followed by one of `configUnits` and fits in 64 bits of microseconds.
    public init?(configText text: String) {
        let suffix = String(text.reversed().prefix { $0.isLetter }.reversed())
        let digits = text.dropLast(suffix.count)
        guard let unit = Self.configUnits.first(where: { $0.suffix == suffix }), !digits.isEmpty,
            digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int64(digits)
        else { return nil }
        let (product, overflow) = count.multipliedReportingOverflow(by: unit.microseconds)
        guard !overflow, product > 0 else { return nil }
        self.init(microseconds: product)
    }

    /// The shortest exact config form, which `init(configText:)` reads back: `1h`, `90s`, `500ms`;
    /// `µs` when no unit divides the span.
    public var configText: String {
        for unit in Self.configUnits.reversed() where microseconds != 0 && microseconds % unit.microseconds == 0 {
            return "\(microseconds / unit.microseconds)\(unit.suffix)"
        }
        return "\(microseconds)µs"
    }

    /// Seconds with millisecond precision, `1.250 s`, `-0.500 s`: ledger details and log lines.
    public var secondsText: String {
        let millis = microseconds / 1000
        let sign = microseconds < 0 && millis != 0 ? "-" : ""
        return "\(sign)\(abs(millis / 1000)).\(Self.padded(abs(millis % 1000), width: 3)) s"
    }

    /// A compact span for status tables, `0.4s`, `42s`, `12m03s`, `2h03m`, `3d04h` (negative shows as 0).
    public var compactText: String {
        let value = max(0, microseconds)
        let seconds = value / 1_000_000
        switch seconds {
        case ..<10: return "\(seconds).\(value / 100_000 % 10)s"
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m\(Self.padded(seconds % 60, width: 2))s"
        case ..<86400: return "\(seconds / 3600)h\(Self.padded(seconds / 60 % 60, width: 2))m"
        default: return "\(seconds / 86400)d\(Self.padded(seconds / 3600 % 24, width: 2))h"
        }
    }

    /// The exact span to the microsecond for reports, `3.250000s`, `2m 03.250000s`, `1h 02m 03.250000s`.
    public var preciseText: String {
        let sign = microseconds < 0 ? "-" : ""
        let value = microseconds.magnitude
        let seconds = value / 1_000_000
        let fraction = Self.padded(Int64(value % 1_000_000), width: 6)
        if seconds >= 3600 {
            return "\(sign)\(seconds / 3600)h \(Self.padded(Int64(seconds / 60 % 60), width: 2))m "
                + "\(Self.padded(Int64(seconds % 60), width: 2)).\(fraction)s"
        }
        if seconds >= 60 {
            return "\(sign)\(seconds / 60)m \(Self.padded(Int64(seconds % 60), width: 2)).\(fraction)s"
        }
        return "\(sign)\(seconds).\(fraction)s"
    }

    private static func padded(_ value: Int64, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
