extension ExactDecimal {
    /// The exact midpoint `(self + other) / 2` in integer arithmetic, always printed with one fraction
    /// digit more than the larger of the two scales (the pair's price precision): 100.1 / 100.2 → 100.15,
    /// 100.0 / 100.2 → 100.10, 10 / 11 → 10.5, 10 / 12 → 11.0. One scale per column keeps a CSV
    /// reader's type inference stable (a precision-0 pair would otherwise mix integers and `x.5`).
    /// Nil only on Int64 overflow.
    public func midpoint(with other: ExactDecimal) -> ExactDecimal? {
        let scale = Swift.max(self.scale, other.scale)
        guard scale < Int8.max, let left = self.padded(toScale: scale), let right = other.padded(toScale: scale)
        else { return nil }
        let (sum, overflow) = left.units.addingReportingOverflow(right.units)
        guard !overflow else { return nil }
        // Halving in the next digit is exact: sum / 2 == sum * 5 / 10.
        let (times5, overflow5) = sum.multipliedReportingOverflow(by: 5)
        guard !overflow5 else { return nil }
        return ExactDecimal(units: times5, scale: scale + 1)
    }
}
