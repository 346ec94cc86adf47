/// Something the collector's run loop must do, in the order given.
public enum FeedAction: Sendable, Equatable {
    /// Open a WebSocket connection to the configured URL.
    case connect
    /// Close the connection. The feed already treats it as ended: do not report
    /// `connectionEnded` for it.
    case disconnect(reason: String)
    /// Send this request text (subscribe, unsubscribe, ping) as one text frame.
    case send(String)
    /// On a connection shared by a group of markets: hand this request to the group, which
    /// merges it with the other markets' into one request per channel (never in a single-market feed).
    case subscription(FeedSubscription)
    /// Discard the order book entirely; the next book applied must be a snapshot (never merge).
    case resetBook
    /// Append a row to the events file (SPEC §4.3) and log it at `name.logLevel`.
    case recordEvent(name: LedgerEvent, detail: String)
    /// A connection attempt failed: log `trouble.message` at `trouble.level` (no ledger row: the
    /// outage's one `disconnected` row is already written).
    case reportConnectionTrouble(ConnectionTrouble)
    /// Flush files and exit the process with this code (SPEC §5), an `ExitStatus` raw value.
    case exit(code: Int32)
}
