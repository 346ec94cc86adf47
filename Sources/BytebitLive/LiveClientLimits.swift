/// How much the feed does for one client, and how much it holds for a client that reads slowly.
public struct LiveClientLimits: Sendable, Equatable {
    /// The least spacing of book messages per pair per client (the latest book wins meanwhile).
    public var bookInterval: Int64 = 50_000
    /// Trades and events waiting for one client, in bytes; a client that falls this far behind is
    /// disconnected (books do not count: they are conflated, one per pair).
    public var maximumQueuedBytes: Int = 4 * 1024 * 1024

    public init(bookInterval: Int64 = 50_000, maximumQueuedBytes: Int = 4 * 1024 * 1024) {
        self.bookInterval = bookInterval
        self.maximumQueuedBytes = maximumQueuedBytes
    }
}
