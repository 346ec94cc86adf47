/// Something the collector's run loop must do, in the order given.
public enum FeedAction: Sendable, Equatable {
    /// Open a WebSocket connection to the configured URL.
    case connect
    /// Close the connection. The feed already treats it as ended: do not report
    /// `connectionEnded` for it.
    case disconnect(reason: String)
    /// Send this request text (subscribe, unsubscribe, ping) as one text frame.
    case send(String)
    /// Discard the order book entirely; the next book applied must be a snapshot (never merge).
    case resetBook
    /// Append a row to the events file (SPEC §4.3).
    case recordEvent(name: FeedEventName, detail: String)
    /// Flush files and exit the process with this code (SPEC §5).
    case exit(code: Int32)
}

/// The event names of the gap ledger (SPEC §4.3).
public enum FeedEventName: String, Sendable, Hashable {
    case connected, subscribed, snapshot, resync, disconnected, stale, rejected, maintenance, stopped
    case checksumMismatch = "checksum_mismatch"
    case tradeGap = "trade_gap"
}

/// Exit codes the feed asks for (SPEC §5).
public enum FeedExitCode {
    /// Clean stop.
    public static let stopped: Int32 = 0
    /// The pair is not listed by Kraken: the supervisor must not restart with the same config.
    public static let configuration: Int32 = 78
}
