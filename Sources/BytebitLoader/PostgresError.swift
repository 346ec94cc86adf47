/// What went wrong talking to PostgreSQL, in libpq's words. Neither case holds the connection URL, so a
/// message built from one never carries a password.
public enum PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection could not be made or was lost (server down, wrong password, unknown database, ...).
    case connection(message: String)
    /// A statement failed on a working connection. `copyLine` is the 1-based line of the COPY data the
    /// server named in its error context, when it named one.
    case statement(sqlState: String, message: String, copyLine: Int?)

    public var description: String {
        switch self {
        case let .connection(message): message
        case let .statement(state, message, _): "\(message) (SQLSTATE \(state))"
        }
    }

    /// Whether the error is about the data of one row (the row is then rejected and the rest loaded),
    /// rather than about the server or the connection (then the whole batch is retried later).
    /// SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation).
    public var isRowError: Bool {
        guard case let .statement(state, _, line) = self, line != nil else { return false }
        return state.hasPrefix("22") || state.hasPrefix("23")
    }
}
