/// SIGHUP, or a new list of online pairs (`all_markets`): apply the new set of recorded markets.
extension SupervisorMachine {
    /// A new configuration: its groups are compared with the running ones (`GroupReloadPlan`).
    mutating func reload(to new: BytebitConfig, _ now: UTCTimestamp) -> [SupervisorAction] {
        guard !isShuttingDown else { return [] }
        var actions: [SupervisorAction] = []
        if new.logDirectory != config.logDirectory {
            actions.append(.log(.init(
                .warning, "log_dir changed: the log and run folders move at the next start of bytebit run",
                ["log_dir": new.logDirectory])))
        }
        let shared = ReloadPlan.sharedSettingsDiffer(config, new)
        let diff = ReloadPlan(from: config, to: new)
        let old = config
        config = new
        // A reload starts what its configuration records, list or not: the start's wait is over.
        awaitsFirstInstrumentList = false
        var (plan, planActions) = applyRecordedMarkets(sharedSettingsChanged: shared, now)
        planActions += restartChangedServices(from: old, sharedSettingsChanged: shared, now)
        actions.append(.log(.init(.notice, "configuration reloaded", ["diff": "\(diff)", "collectors": "\(plan)"])))
        return actions + planActions
    }

    /// The instrument watcher's new list of online pairs (the first one starts the markets).
    mutating func onlinePairsChanged(_ pairs: [MarketPair], _ now: UTCTimestamp) -> [SupervisorAction] {
        guard !isShuttingDown, onlinePairs != pairs || awaitsFirstInstrumentList else { return [] }
        onlinePairs = pairs
        awaitsFirstInstrumentList = false
        guard config.allMarkets != nil else { return [] }
        let (plan, actions) = applyRecordedMarkets(sharedSettingsChanged: false, now)
        guard !plan.isEmpty else { return actions }
        return [.log(.init(.notice, "online pairs changed", ["pairs": "\(pairs.count)", "collectors": "\(plan)"]))]
            + actions
    }

    /// The watcher's first list is late (Kraken unreachable, say): the configured markets start
    /// alone; the listed pairs follow its list when it comes.
    mutating func instrumentListOverdue(_ now: UTCTimestamp) -> [SupervisorAction] {
        guard awaitsFirstInstrumentList, !isShuttingDown else { return [] }
        awaitsFirstInstrumentList = false
        let (_, actions) = applyRecordedMarkets(sharedSettingsChanged: false, now)
        guard !config.markets.isEmpty else { return actions }
        let wait = TimeSpan(microseconds: policy.instrumentListWaitMicroseconds).configText
        return [.log(.init(
            .warning, "no list of online pairs from the instrument watcher yet: recording the configured markets",
            ["waited": wait, "markets": "\(config.markets.count)"]))] + actions
    }

    /// New groups start, removed ones stop cleanly, changed ones restart; untouched ones keep
    /// running (and a held one stays held: only a change of its settings can fix it).
    private mutating func applyRecordedMarkets(sharedSettingsChanged: Bool, _ now: UTCTimestamp)
        -> (GroupReloadPlan, [SupervisorAction])
    {
        let current = collectors.values.compactMap(\.intendedLaunch).filter { !$0.isService }
        let running = current.map { MarketGroup(name: $0.name, pairs: $0.pairs) }
        let newMarkets = recordedMarkets
        let newLaunches = launches(for: newMarkets)
        let plan = GroupReloadPlan(
            running: running, runningMarkets: current.flatMap(\.markets),
            new: newLaunches.map { MarketGroup(name: $0.name, pairs: $0.pairs) }, newMarkets: newMarkets,
            sharedSettingsChanged: sharedSettingsChanged)
        let byName = Dictionary(newLaunches.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var actions: [SupervisorAction] = []
        var freedPairs: [MarketPair] = []
        for group in plan.stopped {
            guard var collector = collectors[group.name] else { continue }
            if collector.pid != nil {
                actions += stopCollector(group.name, because: .removed, now)
            } else {
                collector.startGeneration += 1
                collectors[group.name] = nil
                freedPairs += collector.launch.pairs
            }
        }
        for group in plan.restarted {
            guard var collector = collectors[group.name], let launch = byName[group.name] else { continue }
            if collector.pid != nil {
                actions += stopCollector(group.name, because: .restart(launch), now)
            } else {
                // Waiting or held: the new settings may be the fix, so start at once with a fresh backoff.
                freedPairs += collector.launch.pairs
                collector.launch = launch
                collector.backoff.reset()
                collectors[group.name] = collector
                actions += startCollector(group.name, now)
            }
        }
        for group in plan.started {
            guard let launch = byName[group.name] else { continue }
            if collectors[group.name]?.pid != nil {
                // Removed and added back before it finished stopping: start it again when it exits.
                actions += stopCollector(group.name, because: .restart(launch), now)
            } else {
                collectors[group.name] = SupervisedCollector(launch: launch, policy: policy.restartPolicy)
                actions += startCollector(group.name, now)
            }
        }
        actions += followServices(now)
        let names = newLaunches.map(\.name)
        order = names + order.filter { !names.contains($0) && collectors[$0] != nil }
        return (plan, removeStatusFiles(of: freedPairs) + actions)
    }

    /// The markets to record now: the configured ones and, with `all_markets`, the admitted online pairs.
    var recordedMarkets: [MarketConfig] {
        config.recordedMarkets(online: onlinePairs)
    }

    /// The collectors for `markets`, in the order of their first market (so one market per
    /// collector keeps config order).
    func launches(for markets: [MarketConfig]) -> [CollectorLaunch] {
        let position = Dictionary(markets.enumerated().map { ($1.pair, $0) }, uniquingKeysWith: { first, _ in first })
        return CollectorLaunch.launches(for: config.groups(for: markets), markets: markets).sorted {
            ($0.pairs.compactMap { position[$0] }.min() ?? 0) < ($1.pairs.compactMap { position[$0] }.min() ?? 0)
        }
    }
}
