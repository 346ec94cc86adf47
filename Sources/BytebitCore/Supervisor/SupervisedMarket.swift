/// The supervisor's record of one market: its running collector, if any, and its restart cycle.
struct SupervisedMarket: Sendable {
    /// Why the supervisor asked a collector to stop; decides what happens when it exits.
    enum StopReason: Sendable, Equatable {
        /// The market left the configuration.
        case removed
        /// The market's settings changed: start it again with these.
        case restart(MarketConfig)
        /// The supervisor is shutting down.
        case shutdown
        /// It stopped writing its status and was killed: restart it with backoff.
        case hung
    }

    /// The market's settings in force.
    var market: MarketConfig
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
    /// When a waiting market starts again.
    var nextStartAt: UTCTimestamp?
    /// Why it exited 64/78 and waits for a configuration change; nil when not held.
    var heldReason: String?
    /// Why it was asked to stop, while it is stopping.
    var stopReason: StopReason?
    /// Bumped whenever a scheduled start is superseded, so a stale timer does nothing.
    var startGeneration = 0

    init(market: MarketConfig, policy: RestartPolicy) {
        self.market = market
        backoff = RestartBackoff(policy: policy)
    }

    /// Whether a collector runs (or is being started) for it.
    var hasProcess: Bool { pid != nil || isSpawning }

    /// Its entry in the state file.
    var stateEntry: SupervisorState.Market {
        let phase: SupervisorState.Phase =
            if stopReason != nil && pid != nil { .stopping }
            else if hasProcess { .running }
            else if heldReason != nil { .held }
            else { .waiting }
        return SupervisorState.Market(
            market: market.pair.name, phase: phase, pid: pid, startedAt: startedAt, restarts: restarts,
            lastExit: lastExit, nextStartAt: hasProcess ? nil : nextStartAt, heldReason: heldReason)
    }
}
