/// SIGHUP: apply an edited configuration.
extension SupervisorMachine {
    /// New markets start, removed ones stop cleanly, changed ones restart; untouched ones keep
    /// running (and a held one stays held: only a change of its settings can fix it).
    mutating func reload(to new: BytebitConfig, _ now: UTCTimestamp) -> [SupervisorAction] {
        guard !isShuttingDown else { return [] }
        var actions: [SupervisorAction] = []
        if new.logDirectory != config.logDirectory {
            actions.append(.log(.init(
                .warning, "log_dir changed: the log and run folders move at the next start of bytebit run",
                ["log_dir": new.logDirectory])))
        }
        let plan = ReloadPlan(from: config, to: new)
        actions.append(.log(.init(.notice, "configuration reloaded", ["diff": "\(plan)"])))
        config = new
        for pair in plan.removed {
            guard var market = markets[pair] else { continue }
            if market.pid != nil {
                actions += stopCollector(pair, because: .removed, now)
            } else {
                market.startGeneration += 1
                markets[pair] = nil
                actions.append(.removeStatusFile(pair))
            }
        }
        for settings in plan.changed {
            guard var market = markets[settings.pair] else { continue }
            if market.pid != nil {
                actions += stopCollector(settings.pair, because: .restart(settings), now)
            } else {
                // Waiting or held: the new settings may be the fix, so start at once with a fresh backoff.
                market.market = settings
                market.backoff.reset()
                markets[settings.pair] = market
                actions += startCollector(settings.pair, now)
            }
        }
        for settings in plan.added {
            if markets[settings.pair]?.pid != nil {
                // Removed and added back before it finished stopping: start it again when it exits.
                actions += stopCollector(settings.pair, because: .restart(settings), now)
            } else {
                markets[settings.pair] = SupervisedMarket(market: settings, policy: policy.restartPolicy)
                actions += startCollector(settings.pair, now)
            }
        }
        let configured = new.markets.map(\.pair)
        order = configured + order.filter { !configured.contains($0) && markets[$0] != nil }
        return actions
    }
}
