import Foundation
import Logging

/// `bytebit run`'s decisions as a pure state machine: each event and the current time go in, the
/// actions the run loop must perform come out. No processes, no files, no clock reads, no threads,
/// so every rule (backoff, holds, reloads, grace periods, hangs, summaries) is unit-tested with a
/// manual clock and a seeded generator.
///
/// Run loop contract: send `.start` once; perform the returned actions in order; report the
/// outcome of each `.spawn` (`.childStarted` or `.spawnFailed`) before the next event; report every
/// collector exit, every due timer, a `.tick` about every second with the heartbeats of
/// `runningCollectors`, and `.statusesRead` every few seconds. After `.exit`, stop.
public struct SupervisorMachine: Sendable {
    /// The timing rules.
    public let policy: SupervisorPolicy
    /// The configuration in force.
    public internal(set) var config: BytebitConfig
    /// Whether a stop was requested (no more starts).
    public internal(set) var isShuttingDown = false
    /// Whether `.exit` was returned: the machine ignores everything after it.
    public internal(set) var hasExited = false

    var random: any RandomNumberGenerator & Sendable
    var markets: [MarketPair: SupervisedMarket] = [:]
    /// Markets in config order, then any removed ones still stopping.
    var order: [MarketPair] = []
    /// The last `STATUS=` sent to systemd; nil before `.start`.
    var announcedStatus: String?
    /// What the collectors' status files said: rows, losses, connections.
    var health = RunHealth()

    /// A machine for `config` that has not started; `random` supplies restart jitter (seed it in tests).
    public init(config: BytebitConfig, policy: SupervisorPolicy, random: some RandomNumberGenerator & Sendable) {
        self.config = config
        self.policy = policy
        self.random = random
    }

    /// Feeds one event observed at `now`; returns what the run loop must do, in order.
    public mutating func handle(_ event: SupervisorEvent, at now: UTCTimestamp) -> [SupervisorAction] {
        guard !hasExited else { return [] }
        var actions: [SupervisorAction]
        switch event {
        case .start: actions = start(now)
        case .childStarted(let pair, let pid): actions = childStarted(pair, pid: pid, now)
        case .spawnFailed(let pair, let reason): actions = spawnFailed(pair, reason: reason, now)
        case .childExited(let pair, let pid, let exit, let lastError):
            actions = childExited(pair, pid: pid, exit: exit, lastError: lastError, now)
        case .tick(let heartbeats): actions = checkHeartbeats(heartbeats, now)
        case .statusesRead(let statuses): actions = statusesRead(statuses, now)
        case .reloadRequested(let new): actions = reload(to: new, now)
        case .reloadRejected(let reason):
            actions = [.log(.init(
                .error, "reload rejected: the new configuration is invalid; the running one stays in force",
                ["error": reason]))]
        case .stopRequested(let signal): actions = stopRequested(signal: signal, now)
        case .timerFired(let timer): actions = timerFired(timer, now)
        }
        if !hasExited, let announced = announcedStatus, statusLine != announced {
            announcedStatus = statusLine
            actions.append(.notifySystemd("STATUS=\(statusLine)"))
        }
        return actions
    }

    /// Every market as the state file shows it, in config order.
    public var marketStates: [SupervisorState.Market] {
        order.compactMap { markets[$0]?.stateEntry }
    }

    /// The pids of the running collectors, by market: the heartbeats `.tick` wants.
    public var runningCollectors: [MarketPair: Int32] {
        markets.compactMapValues(\.pid)
    }

    /// The one-line summary for systemd's `STATUS=`: the markets' phases and any rows lost.
    public var statusLine: String {
        SupervisorState.summary(of: marketStates) + health.lossSummary
    }

    private mutating func start(_ now: UTCTimestamp) -> [SupervisorAction] {
        guard announcedStatus == nil else { return [] }
        var actions: [SupervisorAction] = []
        for market in config.markets {
            order.append(market.pair)
            markets[market.pair] = SupervisedMarket(market: market, policy: policy.restartPolicy)
            actions += startCollector(market.pair, now)
        }
        if let duration = policy.durationMicroseconds {
            actions.append(.schedule(.durationReached, at: now.adding(microseconds: duration)))
        }
        health.lastProgressAt = now
        announcedStatus = statusLine
        actions.append(.notifySystemd("READY=1\nSTATUS=\(statusLine)"))
        return actions
    }

    private mutating func timerFired(_ timer: SupervisorTimer, _ now: UTCTimestamp) -> [SupervisorAction] {
        switch timer {
        case .restart(let pair, let generation):
            guard let market = markets[pair], market.startGeneration == generation else { return [] }
            return startCollector(pair, now)
        case .gracePeriodEnded(let pair, let pid):
            guard let market = markets[pair], market.pid == pid, market.stopReason != nil else { return [] }
            return [
                .log(.init(.warning, "collector did not stop within the grace period: killing it",
                           ["market": pair.name, "pid": "\(pid)"])),
                .signal(pid: pid, signal: SIGKILL),
            ]
        case .durationReached:
            guard !isShuttingDown, let duration = policy.durationMicroseconds else { return [] }
            return [.log(.init(.notice, "duration reached", ["duration": TimeSpan(microseconds: duration).configText]))]
                + shutdown(now)
        }
    }

    private mutating func stopRequested(signal: Int32, _ now: UTCTimestamp) -> [SupervisorAction] {
        guard isShuttingDown else {
            return [.log(.init(.notice, "signal received: stopping every collector", ["signal": "\(signal)"]))]
                + shutdown(now)
        }
        // A second SIGTERM/SIGINT: no more waiting.
        var actions: [SupervisorAction] = [
            .log(.init(.warning, "second signal: killing every collector now", ["signal": "\(signal)"]))
        ]
        for pair in order { if let pid = markets[pair]?.pid { actions.append(.signal(pid: pid, signal: SIGKILL)) } }
        return actions + finish(code: ExitStatus.failure.rawValue)
    }

    /// SIGTERM/SIGINT/--duration: every collector gets SIGTERM; the run ends once all have exited.
    private mutating func shutdown(_ now: UTCTimestamp) -> [SupervisorAction] {
        isShuttingDown = true
        var actions: [SupervisorAction] = [.notifySystemd("STOPPING=1")]
        for pair in order {
            guard var market = markets[pair] else { continue }
            market.startGeneration += 1
            markets[pair] = market
            if market.pid != nil {
                actions += stopCollector(pair, because: .shutdown, now)
            } else {
                markets[pair] = nil
            }
        }
        order.removeAll { markets[$0] == nil }
        return actions + finishIfEveryCollectorStopped()
    }

    mutating func finishIfEveryCollectorStopped() -> [SupervisorAction] {
        markets.values.allSatisfy({ !$0.hasProcess }) ? finish(code: ExitStatus.clean.rawValue) : []
    }

    mutating func finish(code: Int32) -> [SupervisorAction] {
        hasExited = true
        return [.exit(code: code)]
    }
}

extension UTCTimestamp {
    /// This instant moved by `microseconds`.
    func adding(microseconds: Int64) -> UTCTimestamp {
        UTCTimestamp(microsecondsSince1970: self.microseconds + microseconds)
    }
}
