/// What one child of `bytebit run` is started with: its name (the supervisor's key for it), its
/// role, and for a collector the settings of every market it carries, in the group's order.
public struct CollectorLaunch: Sendable, Equatable {
    /// What the child does. Every role is supervised the same way (backoff, holds, grace periods);
    /// only collectors carry markets and write per-market status files.
    public enum Role: String, Sendable, Equatable, CaseIterable {
        /// A `collector` recording its markets.
        case markets
        /// The `collector` that keeps `<run>/instruments.json`, the online pair list (`all_markets`).
        case instrumentWatcher = "instruments"
        /// The `loader` that loads the files into PostgreSQL (`postgres`).
        case loader
        /// The `live-feed` server of the WebSocket feed and the web page (`live`).
        case liveFeed = "live-feed"
    }

    /// The group's name: the pair's name for a group of one, `group-07` otherwise.
    public var name: String
    /// The carried markets' settings.
    public var markets: [MarketConfig]
    /// What it does.
    public var role: Role

    /// A launch as given.
    public init(name: String, markets: [MarketConfig], role: Role = .markets) {
        self.name = name
        self.markets = markets
        self.role = role
    }

    /// The instrument watcher's launch (its name is no pair's and no group's).
    public static let instrumentWatcher = CollectorLaunch(name: "instruments", markets: [], role: .instrumentWatcher)
    /// The PostgreSQL loader's launch.
    public static let loader = CollectorLaunch(name: "loader", markets: [], role: .loader)
    /// The live feed server's launch.
    public static let liveFeed = CollectorLaunch(name: "live", markets: [], role: .liveFeed)

    /// Whether this is the instrument watcher (`all_markets`), which records no market.
    public var watchesInstruments: Bool { role == .instrumentWatcher }

    /// Whether this is a service child beside the collectors (watcher, loader, feed server): it
    /// carries no market and is judged by its exits, not by status-file heartbeats.
    public var isService: Bool { role != .markets }

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
