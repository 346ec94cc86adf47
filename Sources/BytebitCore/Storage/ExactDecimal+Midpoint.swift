extension ExactDecimal {
    /// The exact midpoint `(self + other) / 2` in integer arithmetic. Printed at the larger of the two
    /// scales (the pair's price precision) when the half is exact there, else with one more fraction
    /// digit: 100.1 / 100.2 → 100.15, 100.0 / 100.2 → 100.1. Nil only on Int64 overflow.
    public func midpoint(with other: ExactDecimal) -> ExactDecimal? {
        let scale = Swift.max(self.scale, other.scale)
        guard let left = self.padded(toScale: scale), let right = other.padded(toScale: scale) else { return nil }
        let (sum, overflow) = left.units.addingReportingOverflow(right.units)
        guard !overflow else { return nil }
        if sum % 2 == 0 { return ExactDecimal(units: sum / 2, scale: scale) }
        // An odd sum halves to a 5 in the next digit: sum / 2 == sum * 5 / 10.
        let (times5, overflow5) = sum.multipliedReportingOverflow(by: 5)
        guard !overflow5, scale < Int8.max else { return nil }
        return ExactDecimal(units: times5, scale: scale + 1)
    }
}
