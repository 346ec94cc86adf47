import BytebitCore

/// Small text conversions shared by the renderers.
enum DisplayText {
    /// `13:05:30.123456` (the date is the file's).
    static func timeOfDay(_ instant: UTCTimestamp) -> String {
        let text = instant.description
        return String(text.dropFirst(11).dropLast())
    }

    /// A display-only number with `digits` fraction digits, rounded half away from zero.
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "-" }
        let scale = ViewMath.pow10Double(digits)
        let rounded = (abs(value) * scale).rounded()
        guard rounded < 9e18 else { return value < 0 ? "-inf" : "inf" }
        let text = ExactSum.text(units: Int128(Int64(rounded)), scale: digits)
        return value < 0 && rounded != 0 ? "-" + text : text
    }

    /// Spread in basis points of the mid: display only.
    static func basisPoints(spread: ExactDecimal, mid: ExactDecimal) -> Double {
        ViewMath.approximate(spread) / ViewMath.approximate(mid) * 10_000
    }

    /// A decimal as a JSON number with its exact digits, or `null`.
    static func jsonNumber(_ value: ExactDecimal?) -> String {
        guard let value else { return "null" }
        var text = value.description
        // JSON forbids a leading "-." or bare "."; ExactDecimal never prints those, but guard "-0.x" is fine.
        if text.hasPrefix(".") { text = "0" + text }
        return text
    }
}
