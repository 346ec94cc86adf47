/// The supervisor's record of one collector, which carries a `MarketGroup` (one market up to 20
/// markets with `auto`, several on one connection above): its running process, if any, and its
/// restart cycle. Restarts, backoff, holds and hangs are per collector.
struct SupervisedCollector: Sendable {
    /// Why the supervisor asked a collector to stop; decides what happens when it exits.
    enum StopReason: Sendable, Equatable {
        /// Its group left the configuration.
        case removed
        /// Its group's markets or settings changed: start it again with these.
        case restart(CollectorLaunch)
        /// The supervisor is shutting down.
        case shutdown
        /// It stopped writing its status and was killed: restart it with backoff.
        case hung
    }

    /// The group and its markets' settings in force.
    var launch: CollectorLaunch
    /// Its collector's pid and start, while one runs.
    var pid: Int32?
    /// When the running collector started.
    var startedAt: UTCTimestamp?
    /// Whether a spawn was asked for and not yet answered.
    var isSpawning = false
    /// Its restart history.
    var backoff: RestartBackoff
    /// Unplanned restarts so far.
    var restarts = 0
    /// How the previous collector ended.
    var lastExit: String?
    /// When a waiting collector starts again.
    var nextStartAt: UTCTimestamp?
    /// Why it exited 64/78 and waits for a configuration change; nil when not held.
    var heldReason: String?
    /// Why it was asked to stop, while it is stopping.
    var stopReason: StopReason?
    /// Bumped whenever a scheduled start is superseded, so a stale timer does nothing.
    var startGeneration = 0

    init(launch: CollectorLaunch, policy: RestartPolicy) {
        self.launch = launch
        backoff = RestartBackoff(policy: policy)
    }

    /// Whether a collector runs (or is being started) for it.
    var hasProcess: Bool { pid != nil || isSpawning }

    /// The launch it is meant to run once any pending restart is done (nil: it is being removed or stopped).
    var intendedLaunch: CollectorLaunch? {
        switch stopReason {
        case .restart(let next): next
        case .removed, .shutdown: nil
        case .hung, nil: launch
        }
    }

    /// Its markets' entries in the state file (a collector named for a group names it in each).
    var stateEntries: [SupervisorState.Market] {
        let phase: SupervisorState.Phase =
            if stopReason != nil && pid != nil { .stopping }
            else if hasProcess { .running }
            else if heldReason != nil { .held }
            else { .waiting }
        return launch.markets.map { market in
            SupervisorState.Market(
                market: market.pair.name, phase: phase, pid: pid, startedAt: startedAt, restarts: restarts,
                lastExit: lastExit, nextStartAt: hasProcess ? nil : nextStartAt, heldReason: heldReason,
                collector: launch.isNamedForAGroup ? launch.name : nil)
        }
    }
}
