import BytebitCore

/// The supervisor's record of one market: its running collector, if any, and its restart cycle.
struct MarketSlot {
    /// Why the supervisor asked a collector to stop; decides what happens when it exits.
    enum StopReason {
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
    /// Its collector, while one runs.
    var process: CollectorProcess?
    /// Its restart history.
    var backoff: RestartBackoff
    /// Unplanned restarts so far.
    var restarts = 0
    /// How the previous collector ended.
    var lastExit: String?
    /// When a waiting market starts again.
    var nextStartAt: UTCTimestamp?
    /// Whether it exited 64/78 and waits for a configuration change.
    var isHeld = false
    /// Why it was asked to stop, while it is stopping.
    var stopReason: StopReason?
    /// When a stopping collector is killed if it is still running.
    var killAt: UTCTimestamp?
    /// Bumped whenever a scheduled start is superseded, so a stale timer does nothing.
    var startGeneration = 0

    /// Its entry in the state file.
    var stateEntry: SupervisorState.Market {
        let phase: SupervisorState.Phase =
            if stopReason != nil && process != nil { .stopping }
            else if process != nil { .running }
            else if isHeld { .held }
            else { .waiting }
        return SupervisorState.Market(
            market: market.pair.name, phase: phase, pid: process?.pid, startedAt: process?.startedAt,
            restarts: restarts, lastExit: lastExit, nextStartAt: process == nil ? nextStartAt : nil)
    }
}
