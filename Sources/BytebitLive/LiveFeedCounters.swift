/// What the feed server has done since it started (its status file, `bytebit status`).
public struct LiveFeedCounters: Equatable, Sendable {
    /// Clients connected now (upgraded, token accepted).
    public var clientsConnected = 0
    /// Collectors streaming to the feed now.
    public var collectorsConnected = 0
    /// Lines received from collectors.
    public var messagesReceived = 0
    /// Messages handed to clients' sockets.
    public var messagesSent = 0
    /// Books replaced by a newer one before they went out (the 50 ms rule; not a loss).
    public var booksConflated = 0
    /// Messages that were queued for a client that was then disconnected for being slow.
    public var messagesDropped = 0
    /// Clients disconnected because they fell too far behind.
    public var disconnectedSlow = 0
    /// Requests refused for a missing or wrong token.
    public var refusedUnauthorized = 0
    /// Lines from collectors that were not LiveMessage JSON.
    public var malformedLines = 0

    public init() {}
}
