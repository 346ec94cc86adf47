/// A stretch without an open connection: from the connection's end (or the first failed attempt)
/// to the next connection that opens. One `disconnected` row opens it, the `connected` row ends it.
struct ConnectionOutage: Sendable, Equatable {
    /// When the outage began.
    let since: UTCTimestamp
    /// Connection attempts that failed in a row since then.
    var failedAttempts: Int
}
