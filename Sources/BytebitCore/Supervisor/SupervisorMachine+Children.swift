import Foundation

/// Starting, stopping and restarting collectors (each carries one `CollectorLaunch`, keyed by its name).
extension SupervisorMachine {
    /// Asks the run loop to start the collector `name` now.
    mutating func startCollector(_ name: String, _ now: UTCTimestamp) -> [SupervisorAction] {
        guard var collector = collectors[name], !collector.hasProcess, !isShuttingDown else { return [] }
        collector.nextStartAt = nil
        collector.heldReason = nil
        collector.startGeneration += 1
        collector.isSpawning = true
        collectors[name] = collector
        return [.spawn(collector.launch)]
    }

    mutating func childStarted(_ name: String, pid: Int32, _ now: UTCTimestamp) -> [SupervisorAction] {
        guard var collector = collectors[name], collector.isSpawning else {
            // Nobody asked for it (a test's event, or a group gone meanwhile): it must not run unsupervised.
            return [.signal(pid: pid, signal: SIGTERM)]
        }
        collector.isSpawning = false
        collector.pid = pid
        collector.startedAt = now
        collectors[name] = collector
        return [.log(.init(.notice, "collector started",
                           metadata(collector.launch, ["pid": "\(pid)", "restarts": "\(collector.restarts)"])))]
    }

    mutating func spawnFailed(_ name: String, reason: String, _ now: UTCTimestamp) -> [SupervisorAction] {
        guard var collector = collectors[name], collector.isSpawning else { return [] }
        collector.isSpawning = false
        collectors[name] = collector
        let failure = ChildExit.exited(ExitStatus.failure.rawValue)
        return [.log(.init(.error, "cannot start the collector", metadata(collector.launch, ["error": reason])))]
            + scheduleRestart(name, after: failure, ranFor: 0, lastError: reason, now)
    }

    /// A collector ended: decide from why it was stopping, or from the restart policy.
    mutating func childExited(
        _ name: String, pid: Int32, exit: ChildExit, lastError: String?, _ now: UTCTimestamp
    ) -> [SupervisorAction] {
        guard var collector = collectors[name], collector.pid == pid else { return [] }
        let ranFor = now.microseconds - (collector.startedAt ?? now).microseconds
        let reason = collector.stopReason
        let ended = collector.launch
        collector.pid = nil
        collector.startedAt = nil
        collector.stopReason = nil
        collector.lastExit = exit.description
        collectors[name] = collector
        let metadata = metadata(ended, [
            "pid": "\(pid)", "exit": exit.description, "ran": TimeSpan(microseconds: ranFor).compactText,
        ])
        for pair in ended.pairs { health.collectorEnded(pair) }
        switch reason {
        case .shutdown:
            return [.log(.init(.notice, "collector stopped", metadata))] + finishIfEveryCollectorStopped()
        case .removed:
            collectors[name] = nil
            order.removeAll { $0 == name }
            return [.log(.init(.notice, "collector stopped: market removed from the configuration", metadata))]
                + removeStatusFiles(of: ended.pairs)
        case .restart(let next):
            collector.launch = next
            collector.backoff.reset()
            collectors[name] = collector
            return [.log(.init(.notice, "collector stopped: starting it with the new settings", metadata))]
                + removeStatusFiles(of: ended.pairs) + startCollector(name, now)
        case .hung, nil:
            return scheduleRestart(name, after: exit, ranFor: ranFor, lastError: lastError, now)
        }
    }

    /// Applies the restart policy to an exit nobody asked for: hold on 64/78, else back off.
    mutating func scheduleRestart(
        _ name: String, after exit: ChildExit, ranFor: Int64, lastError: String?, _ now: UTCTimestamp
    ) -> [SupervisorAction] {
        guard var collector = collectors[name] else { return [] }
        // -1...1 from 53 random bits (the existential cannot be passed to `Double.random(in:using:)`).
        let jitter = Double(random.next() >> 11) / Double(1 << 52) - 1
        var metadata = metadata(collector.launch, [
            "exit": exit.description, "ran": TimeSpan(microseconds: ranFor).compactText,
        ])
        switch collector.backoff.childExited(exit, ranForMicroseconds: ranFor, jitter: jitter) {
        case .holdUntilConfigChanges:
            let reason = exit.description + (lastError.map { ": \($0)" } ?? "")
            collector.heldReason = reason
            collectors[name] = collector
            metadata["reason"] = reason
            return [.log(.init(
                .error,
                "collector exited with a usage or configuration error: not restarted until its configuration changes",
                metadata))]
        case .restart(let delay):
            collector.restarts += 1
            collector.nextStartAt = now.adding(microseconds: delay)
            collector.startGeneration += 1
            collectors[name] = collector
            metadata["restart.delay_ms"] = "\(delay / 1_000)"
            metadata["restart.attempt"] = "\(collector.backoff.consecutiveFailures)"
            if let lastError { metadata["last_error"] = lastError }
            return [
                .log(.init(.warning, "collector exited: restarting after a delay", metadata)),
                .schedule(.restart(name, generation: collector.startGeneration), at: now.adding(microseconds: delay)),
            ]
        }
    }

    /// Asks the collector `name` to stop (SIGTERM), and to be killed if it outlives the grace period.
    mutating func stopCollector(
        _ name: String, because reason: SupervisedCollector.StopReason, _ now: UTCTimestamp
    ) -> [SupervisorAction] {
        guard var collector = collectors[name], let pid = collector.pid else { return [] }
        collector.stopReason = reason
        collectors[name] = collector
        return [
            .signal(pid: pid, signal: SIGTERM),
            .schedule(.gracePeriodEnded(name, pid: pid), at: now.adding(microseconds: policy.gracePeriodMicroseconds)),
        ]
    }

    /// Kills every running collector none of whose status files has been rewritten within the
    /// heartbeat timeout (the run loop reports the newest among a group's files).
    mutating func checkHeartbeats(_ heartbeats: [String: UTCTimestamp], _ now: UTCTimestamp)
        -> [SupervisorAction]
    {
        var actions: [SupervisorAction] = []
        for name in order {
            guard var collector = collectors[name], let pid = collector.pid, let startedAt = collector.startedAt,
                collector.stopReason == nil, !collector.launch.isService,
                policy.heartbeat.isHung(startedAt: startedAt, lastUpdate: heartbeats[name], now: now)
            else { continue }
            collector.stopReason = .hung
            collectors[name] = collector
            actions += [
                .log(.init(
                    .warning, "collector hung: no status update within the heartbeat timeout; killing it",
                    metadata(collector.launch, [
                        "pid": "\(pid)",
                        "heartbeat.timeout": TimeSpan(microseconds: policy.heartbeat.timeoutMicroseconds).configText,
                    ]))),
                .signal(pid: pid, signal: SIGKILL),
            ]
        }
        return actions
    }

    /// Deletes the status files of those of `pairs` that no collector is meant to carry any more
    /// (a pair that moved to another group keeps the file its new collector writes).
    func removeStatusFiles(of pairs: [MarketPair]) -> [SupervisorAction] {
        let carried = Set(collectors.values.compactMap(\.intendedLaunch).flatMap(\.pairs))
        return pairs.filter { !carried.contains($0) }.map { .removeStatusFile($0) }
    }

    /// A log line's fields naming `launch`: `market=BTC-USD`, or `collector=group-07 markets=A,B`.
    func metadata(_ launch: CollectorLaunch, _ fields: [String: String]) -> [String: String] {
        var result = fields
        if launch.isService {
            result["collector"] = launch.name
        } else if launch.isNamedForAGroup {
            result["collector"] = launch.name
            result["markets"] = launch.pairs.map(\.name).joined(separator: ",")
        } else {
            result["market"] = launch.name
        }
        return result
    }
}
