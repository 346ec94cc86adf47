import Foundation

/// Starting, stopping and restarting collectors.
extension SupervisorMachine {
    /// Asks the run loop to start the collector of `pair` now.
    mutating func startCollector(_ pair: MarketPair, _ now: UTCTimestamp) -> [SupervisorAction] {
        guard var market = markets[pair], !market.hasProcess, !isShuttingDown else { return [] }
        market.nextStartAt = nil
        market.heldReason = nil
        market.startGeneration += 1
        market.isSpawning = true
        markets[pair] = market
        return [.spawn(market.market)]
    }

    mutating func childStarted(_ pair: MarketPair, pid: Int32, _ now: UTCTimestamp) -> [SupervisorAction] {
        guard var market = markets[pair], market.isSpawning else {
            // Nobody asked for it (a test's event, or a market gone meanwhile): it must not run unsupervised.
            return [.signal(pid: pid, signal: SIGTERM)]
        }
        market.isSpawning = false
        market.pid = pid
        market.startedAt = now
        markets[pair] = market
        return [.log(.init(.notice, "collector started",
                           ["market": pair.name, "pid": "\(pid)", "restarts": "\(market.restarts)"]))]
    }

    mutating func spawnFailed(_ pair: MarketPair, reason: String, _ now: UTCTimestamp) -> [SupervisorAction] {
        guard var market = markets[pair], market.isSpawning else { return [] }
        market.isSpawning = false
        markets[pair] = market
        let failure = ChildExit.exited(ExitStatus.failure.rawValue)
        return [.log(.init(.error, "cannot start the collector", ["market": pair.name, "error": reason]))]
            + scheduleRestart(pair, after: failure, ranFor: 0, lastError: reason, now)
    }

    /// A collector ended: decide from why it was stopping, or from the restart policy.
    mutating func childExited(
        _ pair: MarketPair, pid: Int32, exit: ChildExit, lastError: String?, _ now: UTCTimestamp
    ) -> [SupervisorAction] {
        guard var market = markets[pair], market.pid == pid else { return [] }
        let ranFor = now.microseconds - (market.startedAt ?? now).microseconds
        let reason = market.stopReason
        market.pid = nil
        market.startedAt = nil
        market.stopReason = nil
        market.lastExit = exit.description
        markets[pair] = market
        let metadata = [
            "market": pair.name, "pid": "\(pid)", "exit": exit.description, "ran": TimeSpan(microseconds: ranFor).compactText,
        ]
        health.collectorEnded(pair)
        switch reason {
        case .shutdown:
            return [.log(.init(.notice, "collector stopped", metadata))] + finishIfEveryCollectorStopped()
        case .removed:
            markets[pair] = nil
            order.removeAll { $0 == pair }
            return [
                .log(.init(.notice, "collector stopped: market removed from the configuration", metadata)),
                .removeStatusFile(pair),
            ]
        case .restart(let settings):
            market.market = settings
            market.backoff.reset()
            markets[pair] = market
            return [.log(.init(.notice, "collector stopped: starting it with the new settings", metadata))]
                + startCollector(pair, now)
        case .hung, nil:
            return scheduleRestart(pair, after: exit, ranFor: ranFor, lastError: lastError, now)
        }
    }

    /// Applies the restart policy to an exit nobody asked for: hold on 64/78, else back off.
    mutating func scheduleRestart(
        _ pair: MarketPair, after exit: ChildExit, ranFor: Int64, lastError: String?, _ now: UTCTimestamp
    ) -> [SupervisorAction] {
        guard var market = markets[pair] else { return [] }
        // -1...1 from 53 random bits (the existential cannot be passed to `Double.random(in:using:)`).
        let jitter = Double(random.next() >> 11) / Double(1 << 52) - 1
        var metadata = ["market": pair.name, "exit": exit.description, "ran": TimeSpan(microseconds: ranFor).compactText]
        switch market.backoff.childExited(exit, ranForMicroseconds: ranFor, jitter: jitter) {
        case .holdUntilConfigChanges:
            let reason = exit.description + (lastError.map { ": \($0)" } ?? "")
            market.heldReason = reason
            markets[pair] = market
            metadata["reason"] = reason
            return [.log(.init(
                .error,
                "collector exited with a usage or configuration error: not restarted until its configuration changes",
                metadata))]
        case .restart(let delay):
            market.restarts += 1
            market.nextStartAt = now.adding(microseconds: delay)
            market.startGeneration += 1
            markets[pair] = market
            metadata["restart.delay_ms"] = "\(delay / 1_000)"
            metadata["restart.attempt"] = "\(market.backoff.consecutiveFailures)"
            if let lastError { metadata["last_error"] = lastError }
            return [
                .log(.init(.warning, "collector exited: restarting after a delay", metadata)),
                .schedule(.restart(pair, generation: market.startGeneration), at: now.adding(microseconds: delay)),
            ]
        }
    }

    /// Asks the collector of `pair` to stop (SIGTERM), and to be killed if it outlives the grace period.
    mutating func stopCollector(
        _ pair: MarketPair, because reason: SupervisedMarket.StopReason, _ now: UTCTimestamp
    ) -> [SupervisorAction] {
        guard var market = markets[pair], let pid = market.pid else { return [] }
        market.stopReason = reason
        markets[pair] = market
        return [
            .signal(pid: pid, signal: SIGTERM),
            .schedule(.gracePeriodEnded(pair, pid: pid), at: now.adding(microseconds: policy.gracePeriodMicroseconds)),
        ]
    }

    /// Kills every running collector whose status file has not been rewritten within the heartbeat timeout.
    mutating func checkHeartbeats(_ heartbeats: [MarketPair: UTCTimestamp], _ now: UTCTimestamp)
        -> [SupervisorAction]
    {
        var actions: [SupervisorAction] = []
        for pair in order {
            guard var market = markets[pair], let pid = market.pid, let startedAt = market.startedAt,
                market.stopReason == nil,
                policy.heartbeat.isHung(startedAt: startedAt, lastUpdate: heartbeats[pair], now: now)
            else { continue }
            market.stopReason = .hung
            markets[pair] = market
            actions += [
                .log(.init(
                    .warning, "collector hung: no status update within the heartbeat timeout; killing it",
                    [
                        "market": pair.name, "pid": "\(pid)",
                        "heartbeat.timeout": TimeSpan(microseconds: policy.heartbeat.timeoutMicroseconds).configText,
                    ])),
                .signal(pid: pid, signal: SIGKILL),
            ]
        }
        return actions
    }
}
