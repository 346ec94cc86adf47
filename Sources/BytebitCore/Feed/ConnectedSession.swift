/// What belongs to one open connection: created when it opens, dropped with it.
struct ConnectedSession: Sendable, Equatable {
    /// When the connection opened.
    let since: UTCTimestamp
    /// Each recorded channel's subscription stage on this connection.
    var channels: ChannelTable
    /// Subscribe requests not yet answered, by `req_id`: resolves rejections without a channel.
    var pendingSubscriptions: [Int: FeedChannel] = [:]
    /// Some subscription was acknowledged: heartbeats flow every second from here, so silence is stale.
    var hasActiveSubscription = false
    var lastPingSentAt: UTCTimestamp
    var pingOutstandingSince: UTCTimestamp?
    /// When the primary channel went live on this connection; 30 s of it resets the backoff.
    var liveSince: UTCTimestamp?
    /// Checksum mismatches inside the breaker's window.
    var recentMismatches: [UTCTimestamp] = []
    /// Rejections in a row per channel, for the doubling back-off.
    var rejectionStreaks: [FeedChannel: Int] = [:]

    /// A connection that opened at `now`, with every recorded channel idle.
    init(openedAt now: UTCTimestamp, recording channels: [FeedChannel]) {
        since = now
        self.channels = ChannelTable(recording: channels)
        lastPingSentAt = now
    }
}
