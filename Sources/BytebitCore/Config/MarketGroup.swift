/// The markets one collector carries on one connection.
public struct MarketGroup: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// A name that stays the same while the group's bucket does: the pair's name for a group of
    /// one (so ≤ 20 markets keep today's names), `group-07` or `group-07.2` otherwise.
    public var name: String
    /// The carried markets, sorted by name.
    public var pairs: [MarketPair]

    /// A group named `name` carrying `pairs`.
    public init(name: String, pairs: [MarketPair]) {
        self.name = name
        self.pairs = pairs.sorted()
    }

    public var description: String { "\(name): \(pairs.map(\.name).joined(separator: " "))" }
}
