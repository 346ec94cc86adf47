/// A decimal `units / 10^scale` in 128-bit integers: the test's own exact arithmetic on the recorded
/// text, so expected spreads, volumes, notionals and VWAPs never pass through the code under test.
struct FixedPoint: Comparable, CustomStringConvertible {
    var units: Int128
    var scale: Int

    init(units: Int128, scale: Int) {
        self.units = units
        self.scale = scale
    }

    /// Parses `67321.1`, `0.00000010`, `-3`; nil for anything else.
    init?(_ text: String) {
        var digits = Substring(text)
        let negative = digits.hasPrefix("-")
        if negative { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
              let whole = Int128(parts.joined())
        else { return nil }
        units = negative ? -whole : whole
        scale = parts.count == 2 ? parts[1].count : 0
    }

    static let zero = FixedPoint(units: 0, scale: 0)

    /// The value with `target ≥ scale` fraction digits.
    func rescaled(_ target: Int) -> FixedPoint {
        FixedPoint(units: units * Self.power(target - scale), scale: target)
    }

    static func + (lhs: FixedPoint, rhs: FixedPoint) -> FixedPoint {
        let scale = max(lhs.scale, rhs.scale)
        return FixedPoint(units: lhs.rescaled(scale).units + rhs.rescaled(scale).units, scale: scale)
    }

    static func - (lhs: FixedPoint, rhs: FixedPoint) -> FixedPoint {
        let scale = max(lhs.scale, rhs.scale)
        return FixedPoint(units: lhs.rescaled(scale).units - rhs.rescaled(scale).units, scale: scale)
    }

    static func * (lhs: FixedPoint, rhs: FixedPoint) -> FixedPoint {
        FixedPoint(units: lhs.units * rhs.units, scale: lhs.scale + rhs.scale)
    }

    static func < (lhs: FixedPoint, rhs: FixedPoint) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.rescaled(scale).units < rhs.rescaled(scale).units
    }

    static func == (lhs: FixedPoint, rhs: FixedPoint) -> Bool { !(lhs < rhs) && !(rhs < lhs) }

    /// lhs / rhs with `digits` fraction digits, rounded half away from zero (both positive here).
    static func quotient(_ lhs: FixedPoint, _ rhs: FixedPoint, digits: Int) -> FixedPoint {
        // (a/10^sa) / (b/10^sb) = a·10^(sb + digits) / (b·10^sa) in units of 10^-digits.
        let numerator = lhs.units * power(rhs.scale + digits)
        let denominator = rhs.units * power(lhs.scale)
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        return FixedPoint(units: remainder * 2 >= denominator ? quotient + 1 : quotient, scale: digits)
    }

    /// All `scale` fraction digits: `1.30`, `0.006732090`.
    var description: String {
        var digits = String(units.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale + 1 - digits.count) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (units < 0 ? "-" : "") + digits
    }

    private static func power(_ exponent: Int) -> Int128 {
        (0..<max(exponent, 0)).reduce(Int128(1)) { value, _ in value * 10 }
    }
}
