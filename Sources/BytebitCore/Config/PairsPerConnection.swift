/// How many markets one collector (one WebSocket connection) carries: `kraken.pairs_per_connection`.
public enum PairsPerConnection: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// One market per collector up to `MarketGrouping.autoSingleLimit` markets, then about
    /// `MarketGrouping.autoBucketCount` connections in all.
    case auto
    /// At most this many markets per collector (1...200).
    case fixed(Int)

    /// The largest group a config may ask for.
    public static let allowed = 1...200

    /// As written in the config: `auto` or the number.
    public var description: String {
        switch self {
        case .auto: "auto"
        case .fixed(let count): String(count)
        }
    }
}
