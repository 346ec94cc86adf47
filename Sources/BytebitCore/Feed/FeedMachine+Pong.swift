extension FeedMachine {
    /// Whether this market's ping is still unanswered, read in place (see `readAcceptsBookMessages`):
    /// a group hands a pong only to the markets waiting for one.
    public mutating func readIsAwaitingPong() -> Bool { session?.pingOutstandingSince != nil }
}
