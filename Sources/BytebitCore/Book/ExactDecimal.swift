/// A decimal number exactly as Kraken printed it: `units / 10^scale`, where `scale` is the number of
/// fraction digits in the text. Trailing zeros count ("0.10000000" has scale 8), because Kraken's
/// book checksum is computed over the printed digits; `Double` and `Decimal` would lose them.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible, BitwiseCopyable {
    /// The number without its decimal point: "0.031340" → 31340.
    public var units: Int64
    /// How many of the digits of `units` are fraction digits.
    public var scale: Int8

    public init(units: Int64, scale: Int8) {
        self.units = units
        self.scale = scale
    }

    /// Parses plain decimal text (`123`, `0.10000000`, `-1.5`); no exponent, at most 18 digits.
    public init?<Bytes: Collection>(ascii bytes: Bytes) where Bytes.Element == UInt8 {
        var units: Int64 = 0
        var scale: Int8 = 0
        var sawPoint = false
        var sawDigit = false
        var negative = false
        var index = bytes.startIndex
        if index != bytes.endIndex, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index = bytes.index(after: index)
        }
        while index != bytes.endIndex {
            let byte = bytes[index]
            index = bytes.index(after: index)
            if byte == UInt8(ascii: ".") {
                if sawPoint || !sawDigit { return nil }
                sawPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = units.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(byte &- UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            units = sum
            sawDigit = true
            if sawPoint {
                if scale == Int8.max { return nil }
                scale += 1
            }
        }
        // "1." is not a number Kraken prints; neither is "" or "-".
        if !sawDigit || (sawPoint && scale == 0) { return nil }
        self.units = negative ? -units : units
        self.scale = scale
    }

    /// Parses decimal text; see `init?(ascii:)`.
    public init?(_ text: some StringProtocol) {
        self.init(ascii: Array(text.utf8))
    }

    public var isZero: Bool { units == 0 }

    /// The same value printed with at least `precision` fraction digits: shorter text is padded with
    /// zeros (Kraken's MATIC example), longer text is kept as sent. Nil only on Int64 overflow.
    public func padded(toScale precision: Int8) -> ExactDecimal? {
        guard scale < precision else { return self }
        guard let factor = Self.powerOfTen(Int(precision - scale)) else { return nil }
        let (value, overflow) = units.multipliedReportingOverflow(by: factor)
        return overflow ? nil : ExactDecimal(units: value, scale: precision)
    }

    /// 10^n for 0 ≤ n ≤ 18, nil beyond.
    public static func powerOfTen(_ exponent: Int) -> Int64? {
        guard exponent >= 0, exponent < powersOfTen.count else { return nil }
        return powersOfTen[exponent]
    }

    private static let powersOfTen: [Int64] = (0...18).map { exponent in
        (0..<exponent).reduce(Int64(1)) { value, _ in value * 10 }
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        if lhs.scale == rhs.scale { return lhs.units < rhs.units }
        return compareAcrossScales(lhs, rhs) < 0
    }

    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        if lhs.scale == rhs.scale { return lhs.units == rhs.units }
        return compareAcrossScales(lhs, rhs) == 0
    }

    public func hash(into hasher: inout Hasher) {
        // Equal values with different scales must hash alike: hash the value with trailing zeros removed.
        var units = self.units
        var scale = self.scale
        while scale > 0, units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        hasher.combine(units)
        hasher.combine(scale)
    }

    /// -1, 0 or 1. Brings both to the larger scale; on overflow the larger magnitude wins.
    private static func compareAcrossScales(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> Int {
        let scale = max(lhs.scale, rhs.scale)
        let left = lhs.rescaled(to: scale)
        let right = rhs.rescaled(to: scale)
        switch (left, right) {
        case let (l?, r?): return l < r ? -1 : (l == r ? 0 : 1)
        case (nil, _): return lhs.units < 0 ? -1 : 1
        case (_, nil): return rhs.units < 0 ? 1 : -1
        }
    }

    private func rescaled(to target: Int8) -> Int64? {
        guard let factor = Self.powerOfTen(Int(target - scale)) else { return nil }
        let (value, overflow) = units.multipliedReportingOverflow(by: factor)
        return overflow ? nil : value
    }

    /// The text with exactly `scale` fraction digits: "0.031340", "67321.1", "5".
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text of `description` to a byte buffer.
    public func appendText(to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumTextLength) { buffer in
            let length = writeText(to: buffer.baseAddress.unsafelyUnwrapped)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<length]))
        }
    }

    /// An upper bound of the text's length: 19 digits or the fraction and its leading zero, the
    /// point and the sign.
    public var maximumTextLength: Int { max(19, Int(max(scale, 0)) + 1) + 2 }

    /// Writes the text of `description` at `start` (room for `maximumTextLength` bytes) and returns
    /// its length: the CSV hot path writes rows in place with this, no allocation per number. Digits
    /// go two at a time (half the divisions), then the integer part steps left to make room for the
    /// point.
    public func writeText(to start: UnsafeMutablePointer<UInt8>) -> Int {
        let fraction = max(Int(scale), 0)
        let sign = units < 0 ? 1 : 0
        let point = fraction > 0 ? 1 : 0
        var magnitude = units.magnitude
        let shown = max(DecimalDigits.count(magnitude), fraction + 1)
        let digitsStart = start + sign + point
        var cursor = digitsStart + shown
        let pairs = DecimalDigits.pairs.utf8Start
        while magnitude >= 100 {
            let quotient = magnitude / 100
            let pair = Int(magnitude &- quotient &* 100) &* 2
            cursor -= 2
            cursor[0] = pairs[pair]
            cursor[1] = pairs[pair &+ 1]
            magnitude = quotient
        }
        if magnitude >= 10 {
            let pair = Int(magnitude) &* 2
            cursor -= 2
            cursor[0] = pairs[pair]
            cursor[1] = pairs[pair &+ 1]
        } else {
            cursor -= 1
            cursor[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)
        }
        while cursor > digitsStart {
            cursor -= 1
            cursor[0] = UInt8(ascii: "0")
        }
        if point == 1 {
            let integerDigits = shown - fraction
            (start + sign).update(from: digitsStart, count: integerDigits)
            start[sign + integerDigits] = UInt8(ascii: ".")
        }
        if sign == 1 { start[0] = UInt8(ascii: "-") }
        return sign + point + shown
    }
}
