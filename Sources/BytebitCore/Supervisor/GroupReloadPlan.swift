/// What a change of the market set (a SIGHUP reload or an `instrument` update) does to the
/// collectors when markets share connections: a collector is identified by its group's name and
/// restarted only when its group's markets or their settings changed.
public struct GroupReloadPlan: Sendable, Equatable, CustomStringConvertible {
    /// Groups only in the new set: start a collector for each.
    public var started: [MarketGroup]
    /// Groups only in the running set: stop their collectors cleanly.
    public var stopped: [MarketGroup]
    /// Groups in both whose markets or settings differ: restart their collectors.
    public var restarted: [MarketGroup]
    /// Groups in both with the same markets and settings: leave their collectors running.
    public var unchanged: [MarketGroup]

    /// The plan from `running` (groups with their markets' settings) to `new`; `sharedSettingsChanged`
    /// (endpoint, data folder, …) restarts every kept group.
    public init(running: [MarketGroup], runningMarkets: [MarketConfig], new: [MarketGroup], newMarkets: [MarketConfig],
                sharedSettingsChanged: Bool = false) {
        let old = Dictionary(running.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newNames = Set(new.map(\.name))
        let oldSettings = Dictionary(runningMarkets.map { ($0.pair, $0) }, uniquingKeysWith: { first, _ in first })
        let newSettings = Dictionary(newMarkets.map { ($0.pair, $0) }, uniquingKeysWith: { first, _ in first })
        started = new.filter { old[$0.name] == nil }
        stopped = running.filter { !newNames.contains($0.name) }
        restarted = []
        unchanged = []
        for group in new {
            guard let before = old[group.name] else { continue }
            let same = !sharedSettingsChanged && before.pairs == group.pairs
                && group.pairs.allSatisfy { oldSettings[$0] == newSettings[$0] }
            if same { unchanged.append(group) } else { restarted.append(group) }
        }
    }

    /// Whether no collector starts, stops or restarts.
    public var isEmpty: Bool { started.isEmpty && stopped.isEmpty && restarted.isEmpty }

    /// `started group-03; stopped none; restarted group-07; unchanged 23`, for the log.
    public var description: String {
        func names(_ groups: [MarketGroup]) -> String {
            groups.isEmpty ? "none" : groups.map(\.name).joined(separator: ",")
        }
        return "started \(names(started)); stopped \(names(stopped)); restarted \(names(restarted)); "
            + "unchanged \(unchanged.count)"
    }
}
