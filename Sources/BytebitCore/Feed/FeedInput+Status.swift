extension FeedInput {
    /// Whether the feed's status (`FeedMachine.status`) stays as it was after this input, but for
    /// its liveness time: a frame of data or a heartbeat only marks the feed alive (and a verified
    /// book update changes nothing else). A group compares its markets' statuses only after inputs
    /// that may move them (`GroupStatusReporter`); `FeedInputStatusTests` holds this to the machine.
    public var leavesFeedStatus: Bool {
        switch self {
        case .messageReceived, .bookVerified(isSnapshot: false): true
        default: false
        }
    }
}
