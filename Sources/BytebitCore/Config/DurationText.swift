/// Durations as users write them in the config and on the command line: `500ms`, `1s`, `5m`, `2h`.
///
/// Kept as whole microseconds (the resolution of every timestamp bytebit writes), never as Double.
public enum DurationText {
    /// The accepted suffixes and their length in microseconds.
    public static let units: [(suffix: String, microseconds: Int64)] = [
        ("ms", 1_000), ("s", 1_000_000), ("m", 60_000_000), ("h", 3_600_000_000),
    ]

    /// What a duration must look like, for error messages.
    public static let expectedForm = "a positive whole number with a unit ms, s, m or h, e.g. 500ms, 1s, 5m, 2h"

    /// The duration in microseconds, or nil unless `text` is a positive whole number and a unit.
    public static func microseconds(in text: String) -> Int64? {
        let suffix = String(text.reversed().prefix { $0.isLetter }.reversed())
        let digits = text.dropLast(suffix.count)
        guard let unit = units.first(where: { $0.suffix == suffix }), !digits.isEmpty,
            digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int64(digits)
        else { return nil }
        let (product, overflow) = count.multipliedReportingOverflow(by: unit.microseconds)
        guard !overflow, product > 0 else { return nil }
        return product
    }

    /// The shortest exact text for `microseconds`: `1h`, `90s`, `500ms`; `µs` when nothing larger divides it.
    public static func text(microseconds: Int64) -> String {
        for unit in units.sorted(by: { $0.microseconds > $1.microseconds })
        where microseconds != 0 && microseconds % unit.microseconds == 0 {
            return "\(microseconds / unit.microseconds)\(unit.suffix)"
        }
        return "\(microseconds)µs"
    }
}
