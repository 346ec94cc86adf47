/// What one collector is started with: its group's name (the supervisor's key for it) and the
/// settings of every market it carries, in the group's order.
public struct CollectorLaunch: Sendable, Equatable {
    /// The group's name: the pair's name for a group of one, `group-07` otherwise.
    public var name: String
    /// The carried markets' settings.
    public var markets: [MarketConfig]
    /// Whether this is the instrument watcher (`all_markets`), which records no market but keeps
    /// `<run>/instruments.json`, the online pair list, up to date.
    public var watchesInstruments: Bool

    /// A launch as given.
    public init(name: String, markets: [MarketConfig], watchesInstruments: Bool = false) {
        self.name = name
        self.markets = markets
        self.watchesInstruments = watchesInstruments
    }

    /// The instrument watcher's launch (its name is no pair's and no group's).
    public static let instrumentWatcher = CollectorLaunch(name: "instruments", markets: [], watchesInstruments: true)

    /// The carried pairs.
    public var pairs: [MarketPair] { markets.map(\.pair) }

    /// Whether it carries more than one market (and so writes a status folder, not one status file).
    public var isGrouped: Bool { markets.count > 1 }

    /// Whether it is named for a group rather than for its one market (`group-04` carrying one
    /// pair, above 20 markets): logs and `bytebit status` then name the group.
    public var isNamedForAGroup: Bool { !(markets.count == 1 && markets.first?.pair.name == name) }

    /// The launches for `groups`, with each pair's settings from `markets` (a pair without settings is skipped).
    static func launches(for groups: [MarketGroup], markets: [MarketConfig]) -> [CollectorLaunch] {
        let settings = Dictionary(markets.map { ($0.pair, $0) }, uniquingKeysWith: { first, _ in first })
        return groups.map { group in
            CollectorLaunch(name: group.name, markets: group.pairs.compactMap { settings[$0] })
        }.filter { !$0.markets.isEmpty }
    }
}
