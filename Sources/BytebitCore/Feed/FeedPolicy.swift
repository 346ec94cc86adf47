/// The feed's timing and limits. Defaults follow Kraken's guidance (docs/kraken-v2.md §1, §4.5).
public struct FeedPolicy: Sendable, Equatable {
    /// Cadence of app-level pings; Kraken closes connections idle for about a minute.
    public var pingInterval: Duration = .seconds(20)
    /// A ping not answered within this is a dead connection.
    public var pongTimeout: Duration = .seconds(10)
    /// Once a subscription is active (heartbeats flow every second), silence this long is stale.
    public var staleAfter: Duration = .seconds(10)
    // No connect deadline here: the transport owns the only one (`WebSocketClientConfiguration.connectTimeout`),
    // since only it can abandon a TCP, TLS or upgrade step in flight; the attempt then ends with
    // `.connectTimeout`, which reaches the feed as `connectionEnded`.
    /// A subscription with no ack, or no snapshot after it, within this is treated as stale.
    public var requestTimeout: Duration = .seconds(15)
    /// After a checksum mismatch, resubscribe even without an unsubscribe ack after this.
    public var unsubscribeTimeout: Duration = .seconds(5)
    /// A session live this long resets the reconnect backoff (Kraken CLI: 30 s).
    public var stableSession: Duration = .seconds(30)
    /// While Kraken reports maintenance, connection attempts are at least this far apart.
    public var maintenanceReconnectSpacing: Duration = .seconds(5)
    /// This many checksum mismatches within `mismatchBreakerWindow` trip the breaker.
    public var mismatchBreakerLimit: Int = 3
    /// The rolling window of the mismatch breaker.
    public var mismatchBreakerWindow: Duration = .seconds(300)
    /// After the breaker trips, the book stays unsubscribed this long, then the feed reconnects.
    public var mismatchCoolDown: Duration = .seconds(60)
    /// First wait before resubscribing after a rejection such as "Exceeded msg rate"; doubles.
    public var rejectionBackoff: Duration = .seconds(5)
    /// Longest wait between resubscriptions after rejections.
    public var rejectionBackoffLimit: Duration = .seconds(60)
    /// Connection attempts allowed per `connectionBudgetWindow` (Kraken CLI: 120 per 600 s;
    /// Cloudflare bans an IP after about 150).
    public var connectionBudget: Int = 120
    /// The rolling window of the connection budget.
    public var connectionBudgetWindow: Duration = .seconds(600)
    /// From this many failed connection attempts in a row on, each failure is logged as a
    /// `warning` (before: `info`, as a brief network blip is routine).
    public var connectionWarningAfterFailures: Int = 3

    /// Kraken's recommended defaults.
    public init() {}
}
