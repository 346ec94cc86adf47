/// When the collector writes an order book row (SPEC §4.1).
public enum BookMode: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// One row per verified Kraken book message.
    case update
    /// One row per tick of the UTC clock, ticks aligned to multiples of the interval.
    case interval(microseconds: Int64)

    /// The word used in the config: `update` or `interval`.
    public var name: String {
        switch self {
        case .update: "update"
        case .interval: "interval"
        }
    }

    public var description: String {
        switch self {
        case .update: "update"
        case .interval(let microseconds): "interval \(TimeSpan(microseconds: microseconds).configText)"
        }
    }
}
