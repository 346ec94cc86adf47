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
    /// The collectors, by their group's name.
    var collectors: [String: SupervisedCollector] = [:] { didSet { marketsChanged = true } }
    /// Collector names in the order of their markets in the config, then any removed ones still stopping.
    var order: [String] = [] { didSet { marketsChanged = true } }
    /// The markets' state entries and their summary as of the last event, and whether a collector
    /// changed since: with 672 markets, building the entries two or three times per event (the
    /// `STATUS=` line, the state file) was a fifth of the supervisor's CPU (issue 10, `perf`).
    private var marketsChanged = true
    private var knownMarketStates: [SupervisorState.Market] = []
    private var knownMarketSummary = ""
    /// The online pairs the instrument watcher last listed (`all_markets`); empty before its first list.
    var onlinePairs: [MarketPair] = []
    /// `all_markets` at the start: no market collector starts before the watcher's first list (or
    /// `instrumentListOverdue`), so each market starts once, in its final group.
    var awaitsFirstInstrumentList = false
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
        case .childStarted(let name, let pid): actions = childStarted(name, pid: pid, now)
        case .spawnFailed(let name, let reason): actions = spawnFailed(name, reason: reason, now)
        case .childExited(let name, let pid, let exit, let lastError):
            actions = childExited(name, pid: pid, exit: exit, lastError: lastError, now)
            actions += stopTheLoaderOnceTheMarketsAreDone(now)
        case .onlinePairsChanged(let pairs): actions = onlinePairsChanged(pairs, now)
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
        if marketsChanged {
            knownMarketStates = builtMarketStates
            knownMarketSummary = SupervisorState.summary(of: knownMarketStates)
            marketsChanged = false
        }
        if !hasExited, let announced = announcedStatus, statusLine != announced {
            announcedStatus = statusLine
            actions.append(.notifySystemd("STATUS=\(statusLine)"))
        }
        return actions
    }

    /// Every market as the state file shows it, in config order: the entries kept from the last
    /// event while no collector changed (the same array, so comparing it with itself is quick).
    public var marketStates: [SupervisorState.Market] {
        marketsChanged ? builtMarketStates : knownMarketStates
    }

    /// Every market's state entry built afresh from the collectors, in config order.
    private var builtMarketStates: [SupervisorState.Market] {
        order.flatMap { collectors[$0]?.stateEntries ?? [] }
    }

    /// The running collectors by name, with their pids and carried pairs: the heartbeats `.tick`
    /// wants are the newest status file among each one's pairs.
    public var runningCollectors: [String: (pid: Int32, pairs: [MarketPair])] {
        collectors.compactMapValues { collector in collector.pid.map { ($0, collector.launch.pairs) } }
    }

    /// How many market collectors (one connection each) the supervisor keeps, running or not.
    public var collectorCount: Int { collectors.values.filter { !$0.launch.isService }.count }

    /// The one-line summary for systemd's `STATUS=`: the markets' phases and any rows lost.
    public var statusLine: String {
        (marketsChanged ? SupervisorState.summary(of: marketStates) : knownMarketSummary) + health.lossSummary
    }

    private mutating func start(_ now: UTCTimestamp) -> [SupervisorAction] {
        guard announcedStatus == nil else { return [] }
        var actions: [SupervisorAction] = []
        awaitsFirstInstrumentList = config.allMarkets != nil && onlinePairs.isEmpty
        if awaitsFirstInstrumentList {
            actions.append(.schedule(.instrumentListOverdue, at: now.adding(microseconds: policy.instrumentListWaitMicroseconds)))
        } else {
            for launch in launches(for: recordedMarkets) {
                order.append(launch.name)
                collectors[launch.name] = SupervisedCollector(launch: launch, policy: policy.restartPolicy)
                actions += startCollector(launch.name, now)
            }
        }
        actions += followServices(now)
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
        case .restart(let name, let generation):
            guard let collector = collectors[name], collector.startGeneration == generation else { return [] }
            return startCollector(name, now)
        case .gracePeriodEnded(let name, let pid):
            guard let collector = collectors[name], collector.pid == pid, collector.stopReason != nil else { return [] }
            return [
                .log(.init(.warning, "collector did not stop within the grace period: killing it",
                           metadata(collector.launch, ["pid": "\(pid)"]))),
                .signal(pid: pid, signal: SIGKILL),
            ]
        case .durationReached:
            guard !isShuttingDown, let duration = policy.durationMicroseconds else { return [] }
            return [.log(.init(.notice, "duration reached", ["duration": TimeSpan(microseconds: duration).configText]))]
                + shutdown(now)
        case .instrumentListOverdue:
            return instrumentListOverdue(now)
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
        for name in order { if let pid = collectors[name]?.pid { actions.append(.signal(pid: pid, signal: SIGKILL)) } }
        return actions + finish(code: ExitStatus.failure.rawValue)
    }

    /// SIGTERM/SIGINT/--duration: every collector gets SIGTERM, the loader once the market
    /// collectors are gone (`stopTheLoaderOnceTheMarketsAreDone`); the run ends once all have exited.
    private mutating func shutdown(_ now: UTCTimestamp) -> [SupervisorAction] {
        isShuttingDown = true
        var actions: [SupervisorAction] = [.notifySystemd("STOPPING=1")]
        for name in order {
            guard var collector = collectors[name] else { continue }
            collector.startGeneration += 1
            collectors[name] = collector
            if collector.pid == nil {
                collectors[name] = nil
            } else if collector.launch.role != .loader {
                actions += stopCollector(name, because: .shutdown, now)
            }
        }
        let remaining = collectors
        order.removeAll { remaining[$0] == nil }
        return actions + stopTheLoaderOnceTheMarketsAreDone(now) + finishIfEveryCollectorStopped()
    }

    /// While stopping, the loader goes last: the rows the collectors write as they stop (their last
    /// second, the `stopped` rows) are loaded by its final pass instead of at the next start.
    mutating func stopTheLoaderOnceTheMarketsAreDone(_ now: UTCTimestamp) -> [SupervisorAction] {
        guard isShuttingDown, !hasExited,
            !collectors.values.contains(where: { $0.launch.role == .markets && $0.hasProcess })
        else { return [] }
        let loaders = collectors.filter { $0.value.launch.role == .loader && $0.value.pid != nil && $0.value.stopReason == nil }
        return loaders.keys.sorted().flatMap { stopCollector($0, because: .shutdown, now) }
    }

    mutating func finishIfEveryCollectorStopped() -> [SupervisorAction] {
        collectors.values.allSatisfy({ !$0.hasProcess }) ? finish(code: ExitStatus.clean.rawValue) : []
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
