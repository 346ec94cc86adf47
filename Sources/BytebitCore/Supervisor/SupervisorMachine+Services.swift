/// The service children beside the collectors: the instrument watcher (`all_markets`), the
/// PostgreSQL loader (`postgres`) and the live feed server (`live`). Each runs while its section is
/// in the configuration, and is supervised like a collector.
extension SupervisorMachine {
    /// Each service and whether the configuration in force wants it.
    var wantedServices: [(launch: CollectorLaunch, isWanted: Bool)] {
        [
            (.instrumentWatcher, config.allMarkets != nil),
            (.loader, config.postgres != nil),
            (.liveFeed, config.live != nil),
        ]
    }

    /// Starts the wanted services that are not running and stops the unwanted ones.
    mutating func followServices(_ now: UTCTimestamp) -> [SupervisorAction] {
        wantedServices.flatMap { service in follow(service.launch, isWanted: service.isWanted, now) }
    }

    /// After a reload: a service whose settings changed restarts (a new endpoint for the watcher;
    /// new data folder or database for the loader; a new address, token file or data folder for the feed).
    mutating func restartChangedServices(from old: BytebitConfig, sharedSettingsChanged: Bool, _ now: UTCTimestamp)
        -> [SupervisorAction]
    {
        let changed: [(CollectorLaunch, Bool)] = [
            (.instrumentWatcher, sharedSettingsChanged),
            (.loader, old.postgres != config.postgres || old.dataDirectory != config.dataDirectory),
            (.liveFeed, old.live != config.live || old.dataDirectory != config.dataDirectory),
        ]
        var actions: [SupervisorAction] = []
        for (launch, isChanged) in changed where isChanged {
            guard var service = collectors[launch.name], service.stopReason == nil else { continue }
            if service.pid != nil {
                actions += stopCollector(launch.name, because: .restart(launch), now)
            } else if !service.isSpawning {
                // Waiting or held: the new settings may be the fix, so start at once with a fresh backoff.
                service.backoff.reset()
                collectors[launch.name] = service
                actions += startCollector(launch.name, now)
            }
        }
        return actions
    }

    private mutating func follow(_ launch: CollectorLaunch, isWanted: Bool, _ now: UTCTimestamp) -> [SupervisorAction] {
        let name = launch.name
        if !isWanted {
            guard collectors[name] != nil else { return [] }
            if collectors[name]?.pid != nil { return stopCollector(name, because: .removed, now) }
            collectors[name] = nil
            order.removeAll { $0 == name }
            return []
        }
        if collectors[name]?.pid != nil, collectors[name]?.stopReason == .removed {
            return stopCollector(name, because: .restart(launch), now)
        }
        guard collectors[name] == nil else { return [] }
        collectors[name] = SupervisedCollector(launch: launch, policy: policy.restartPolicy)
        if !order.contains(name) { order.append(name) }
        return startCollector(name, now)
    }
}
