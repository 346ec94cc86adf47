import BytebitCore

/// Exact median and 95th percentile of the spread. Spreads take few distinct values (whole ticks), so a
/// count per value keeps memory flat for any number of rows and the quantiles exact.
public struct SpreadStatistics: Sendable, Equatable {
    private var counts: [ExactDecimal: Int] = [:]
    public private(set) var count = 0

    public init() {}

    public mutating func record(_ spread: ExactDecimal) {
        counts[spread, default: 0] += 1
        count += 1
    }

    /// The nearest-rank quantile (`q` in 0...1): the smallest spread with at least q·n rows at or below it.
    public func quantile(_ q: Double) -> ExactDecimal? {
        guard count > 0 else { return nil }
        let rank = max(1, Int((q * Double(count)).rounded(.up)))
        var seen = 0
        for (spread, number) in counts.sorted(by: { $0.key < $1.key }) {
            seen += number
            if seen >= rank { return spread }
        }
        return nil
    }

    public var median: ExactDecimal? { quantile(0.5) }
    public var p95: ExactDecimal? { quantile(0.95) }
    public var minimum: ExactDecimal? { counts.keys.min() }
    public var maximum: ExactDecimal? { counts.keys.max() }
}
