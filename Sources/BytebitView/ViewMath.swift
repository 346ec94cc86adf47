import BytebitCore

/// Exact arithmetic on `ExactDecimal` for the viewer: differences, products and sums in integers, so
/// spreads, notionals, volumes and VWAP are exact (Double is used only for display-only figures).
enum ViewMath {
    /// lhs − rhs at the larger scale; nil on overflow.
    static func difference(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> ExactDecimal? {
        let scale = max(lhs.scale, rhs.scale)
        guard let left = lhs.padded(toScale: scale), let right = rhs.padded(toScale: scale) else { return nil }
        let (value, overflow) = left.units.subtractingReportingOverflow(right.units)
        return overflow ? nil : ExactDecimal(units: value, scale: scale)
    }

    /// lhs × rhs with scale lhs.scale + rhs.scale; nil on overflow.
    static func product(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> ExactDecimal? {
        let (value, overflow) = lhs.units.multipliedReportingOverflow(by: rhs.units)
        let scale = Int(lhs.scale) + Int(rhs.scale)
        guard !overflow, scale <= Int(Int8.max) else { return nil }
        return ExactDecimal(units: value, scale: Int8(scale))
    }

    /// The value as a Double, for display-only statistics (bps, charts).
    static func approximate(_ value: ExactDecimal) -> Double {
        Double(value.units) / pow10Double(Int(value.scale))
    }

    static func pow10Double(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<max(exponent, 0) { result *= 10 }
        return result
    }
}

/// An exact running sum of decimals in 128-bit integers: a day of notionals cannot overflow it.
struct ExactSum: Sendable, Equatable {
    private(set) var units: Int128 = 0
    private(set) var scale: Int = 0

    /// Adds `units / 10^scale`, raising this sum's scale when the term has more fraction digits.
    mutating func add(units termUnits: Int64, scale termScale: Int) {
        if termScale > scale {
            units *= Self.power(termScale - scale)
            scale = termScale
        }
        units += Int128(termUnits) * Self.power(scale - termScale)
    }

    mutating func add(_ value: ExactDecimal) {
        add(units: value.units, scale: Int(value.scale))
    }

    /// Adds price × quantity without the Int64 overflow an `ExactDecimal` product could hit.
    mutating func addProduct(_ lhs: ExactDecimal, _ rhs: ExactDecimal) {
        let termScale = Int(lhs.scale) + Int(rhs.scale)
        let term = Int128(lhs.units) * Int128(rhs.units)
        if termScale > scale {
            units *= Self.power(termScale - scale)
            scale = termScale
        }
        units += term * Self.power(scale - termScale)
    }

    var isZero: Bool { units == 0 }

    /// The sum as text with all its fraction digits ("12.34000000").
    var text: String { Self.text(units: units, scale: scale) }

    /// self ÷ divisor rounded half away from zero to `digits` fraction digits, as text; nil if divisor is 0.
    func divided(by divisor: ExactSum, digits: Int) -> String? {
        guard divisor.units != 0 else { return nil }
        // (a/10^sa) / (b/10^sb) * 10^d = a * 10^(sb - sa + d) / b
        let exponent = divisor.scale - scale + digits
        var numerator = units
        var denominator = divisor.units
        if exponent >= 0 { numerator *= Self.power(exponent) } else { denominator *= Self.power(-exponent) }
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        var rounded = quotient
        if remainder.magnitude * 2 >= denominator.magnitude {
            rounded += (numerator < 0) != (denominator < 0) ? -1 : 1
        }
        return Self.text(units: rounded, scale: digits)
    }

    static func power(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<max(exponent, 0) { result *= 10 }
        return result
    }

    static func text(units: Int128, scale: Int) -> String {
        let negative = units < 0
        var digits = String(units.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return negative ? "-" + digits : digits
    }
}
