/// A decimal with 128-bit units, `units / 10^scale`: sums of quantities and volume-weighted prices
/// outgrow `ExactDecimal`'s 64 bits (a day of SHIB-USD moves more than 9.2e18 qty units). Exact,
/// never floating point.
public struct WideDecimal: Sendable, Hashable, CustomStringConvertible {
    public var units: Int128
    public var scale: Int8

    public init(units: Int128, scale: Int8) {
        self.units = units
        self.scale = scale
    }

    /// The text with exactly `scale` fraction digits, as `ExactDecimal` prints.
    public var description: String {
        var bytes: [UInt8] = []
        appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text of `description`.
    public func appendText(to bytes: inout [UInt8]) {
        var magnitude = units.magnitude
        var digits: [UInt8] = []
        digits.reserveCapacity(40)
        repeat {
            digits.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        let fraction = Int(max(scale, 0))
        while digits.count <= fraction { digits.append(UInt8(ascii: "0")) }
        if units < 0 { bytes.append(UInt8(ascii: "-")) }
        for (position, digit) in digits.enumerated().reversed() {
            bytes.append(digit)
            if position == fraction, fraction > 0 { bytes.append(UInt8(ascii: ".")) }
        }
    }

    /// 10^n as Int128 for 0 ≤ n ≤ 38; nil beyond.
    static func powerOfTen(_ exponent: Int) -> Int128? {
        guard exponent >= 0, exponent <= 38 else { return nil }
        var value: Int128 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// `numerator / denominator` (both ≥ 0, denominator > 0) at `extraDigits` more fraction digits
    /// than the plain quotient, rounded half to even: long division, so nothing overflows that the
    /// result itself does not. Negative `extraDigits` divide first. Nil on overflow.
    static func quotient(_ numerator: Int128, _ denominator: Int128, extraDigits: Int) -> Int128? {
        guard denominator > 0, numerator >= 0 else { return nil }
        var divisor = denominator
        if extraDigits < 0 {
            guard let factor = powerOfTen(-extraDigits) else { return 0 }
            let (wide, overflow) = divisor.multipliedReportingOverflow(by: factor)
            if overflow { return 0 }
            divisor = wide
        }
        var quotient = numerator / divisor
        var remainder = numerator % divisor
        for _ in 0..<max(extraDigits, 0) {
            let (shifted, overflow) = quotient.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            // The next digit is 10·remainder / divisor; added up in ten steps below the divisor, so it
            // cannot overflow even when the divisor is near the top of 128 bits.
            var digit: Int128 = 0
            var rest: Int128 = 0
            for _ in 0..<10 {
                if rest >= divisor - remainder {
                    rest -= divisor - remainder
                    digit += 1
                } else {
                    rest += remainder
                }
            }
            quotient = shifted + digit
            remainder = rest
        }
        // Half to even: compare the remainder with the half of the divisor without doubling it.
        let rest = divisor - remainder
        if remainder > rest || (remainder == rest && quotient % 2 == 1) { quotient += 1 }
        return quotient
    }
}
