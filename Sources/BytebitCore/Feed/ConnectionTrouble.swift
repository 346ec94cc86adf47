import Logging

/// A connection attempt failed (it ended before the connection opened). The recorder logs it at
/// `level`: `info` for the first few in a row, `warning` from
/// `FeedPolicy.connectionWarningAfterFailures` on, so an unreachable exchange is not quiet.
public struct ConnectionTrouble: Sendable, Equatable {
    /// Attempts that failed in a row since the last open connection, this one included.
    public var failedAttempts: Int
    /// Why this attempt failed, e.g. `cannot resolve ws.example`.
    public var reason: String
    /// The wait before the next attempt.
    public var retryIn: TimeSpan
    /// How loudly to log it.
    public var level: Logger.Level

    /// A failure report; `level` follows from `failedAttempts` in the feed.
    public init(failedAttempts: Int, reason: String, retryIn: TimeSpan, level: Logger.Level) {
        self.failedAttempts = failedAttempts
        self.reason = reason
        self.retryIn = retryIn
        self.level = level
    }

    /// The log line: `cannot connect (3 attempts failed in a row): connection refused; retrying in 5.123 s`.
    public var message: String {
        let attempts = failedAttempts == 1 ? "1 attempt" : "\(failedAttempts) attempts"
        return "cannot connect (\(attempts) failed in a row): \(reason); retrying in \(retryIn.secondsText)"
    }
}
