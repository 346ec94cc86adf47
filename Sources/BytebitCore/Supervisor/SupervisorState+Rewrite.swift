extension SupervisorState {
    /// How often an unchanged state is written anyway, so that `bytebit status` still sees the
    /// supervisor alive (it calls a state older than `StatusReport.staleAfterMicroseconds` gone).
    public static let refreshMicroseconds: Int64 = 5_000_000

    /// Whether this state must replace `previous` on disk: something a reader shows changed, or the
    /// file is due for its liveness refresh. Encoding 672 markets' entries every second was most of
    /// the supervisor's CPU with every Kraken pair recorded.
    public func mustReplace(_ previous: SupervisorState?) -> Bool {
        guard let previous else { return true }
        return previous.markets != markets || previous.pid != pid || previous.startedAt != startedAt
            || previous.configPath != configPath
            || updatedAt.microseconds - previous.updatedAt.microseconds >= Self.refreshMicroseconds
    }
}
