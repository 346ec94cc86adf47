/// A live output's counters in a market's status file (`"redis": {…}`), for `bytebit status`.
public struct OutputStatus: Sendable, Equatable, Codable {
    /// Whether the output's connection is up and taking messages now.
    public var connected: Bool
    /// This market's messages the server took.
    public var sent: Int
    /// This market's messages dropped: the output was down, stuck or too slow (its queue was full).
    public var dropped: Int

    public init(connected: Bool, sent: Int, dropped: Int) {
        self.connected = connected
        self.sent = sent
        self.dropped = dropped
    }
}
