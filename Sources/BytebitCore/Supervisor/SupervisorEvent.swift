/// What happened, as the supervisor's run loop reports it to `SupervisorMachine`.
public enum SupervisorEvent: Sendable, Equatable {
    /// The run begins: start every configured market.
    case start
    /// The collector asked for by `.spawn` (named by its launch's name) is running with this pid.
    case childStarted(String, pid: Int32)
    /// The collector asked for by `.spawn` could not be started.
    case spawnFailed(String, reason: String)
    /// A collector ended; `lastError` is the last error line it printed, if any.
    case childExited(String, pid: Int32, exit: ChildExit, lastError: String?)
    /// The periodic check: when each running collector (by name) last rewrote any of its markets'
    /// status files (missing: never).
    case tick(heartbeats: [String: UTCTimestamp])
    /// The collectors' status files as just read (the progress, loss and connection summaries).
    case statusesRead([CollectorStatus])
    /// The instrument watcher's list of online pairs changed (`all_markets`): record what it admits.
    case onlinePairsChanged([MarketPair])
    /// SIGHUP with a valid configuration file.
    case reloadRequested(BytebitConfig)
    /// SIGHUP with a configuration file that cannot be read or is invalid: the error text.
    case reloadRejected(reason: String)
    /// SIGTERM or SIGINT; a second one while stopping kills everything at once.
    case stopRequested(signal: Int32)
    /// A timer the machine scheduled is due.
    case timerFired(SupervisorTimer)
}

/// A timer the machine asks the run loop for; a stale one (superseded start, collector already
/// gone) does nothing when it fires, so the run loop never has to cancel one.
public enum SupervisorTimer: Sendable, Hashable {
    /// Start a waiting market again; `generation` tells a superseded start from the current one.
    case restart(String, generation: Int)
    /// The collector `pid` asked to stop has had its grace period: kill it if it still runs.
    case gracePeriodEnded(String, pid: Int32)
    /// `--duration` is over: stop cleanly.
    case durationReached
    /// `all_markets`: the instrument watcher's first list did not come in time; start the configured markets.
    case instrumentListOverdue
}
