/// The supervisor's timing rules: production defaults, shortened by hidden options in tests.
public struct SupervisorPolicy: Sendable, Equatable {
    /// Restart backoff.
    public var restartPolicy = RestartPolicy()
    /// The hung-child rule.
    public var heartbeat = Heartbeat()
    /// How long children get to flush and exit after SIGTERM before SIGKILL, in microseconds.
    public var gracePeriodMicroseconds: Int64 = 10_000_000
    /// Stop cleanly after this long (`--duration`), in microseconds.
    public var durationMicroseconds: Int64?
    /// How often the progress line (rows written, rows lost) is logged, in microseconds.
    public var progressIntervalMicroseconds: Int64 = 300_000_000
    /// How long a collector may take to connect before the supervisor calls it connection trouble,
    /// in microseconds (a first connection to Kraken takes well under a second).
    public var connectGraceMicroseconds: Int64 = 5_000_000
    /// How often the connection summary repeats while markets stay unconnected, in microseconds.
    public var connectionSummaryIntervalMicroseconds: Int64 = 60_000_000
    /// With `all_markets`, how long the start waits for the instrument watcher's first list before
    /// starting the configured markets alone, in microseconds. Started at once, they were regrouped
    /// with the listed pairs a second later: a `stopped` row, a restart and a connection each.
    public var instrumentListWaitMicroseconds: Int64 = 15_000_000

    /// The production policy.
    public init() {}
}
