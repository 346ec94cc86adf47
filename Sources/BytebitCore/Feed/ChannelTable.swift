/// The stage of every channel this feed records, keyed by channel, for one connection.
///
/// A channel the configuration does not record has no row: reading it gives nil and writing it
/// is ignored, so no code path can subscribe a channel that is off. Stored by `tableIndex`, not
/// hashed: the book's stage is read for every book message.
struct ChannelTable: Sendable, Equatable {
    private var stages: [ChannelStage?]
    /// The recorded channels in subscription order (`FeedChannel.allCases` order).
    let channels: [FeedChannel]

    /// Every channel in `channels` starts `idle`.
    init(recording channels: [FeedChannel]) {
        self.channels = FeedChannel.allCases.filter(channels.contains)
        stages = Array(repeating: nil, count: FeedChannel.allCases.count)
        for channel in self.channels { stages[channel.tableIndex] = .idle }
    }

    /// The stage of `channel`, nil when it is not recorded.
    subscript(channel: FeedChannel) -> ChannelStage? {
        get { stages[channel.tableIndex] }
        set {
            guard stages[channel.tableIndex] != nil, let newValue else { return }
            stages[channel.tableIndex] = newValue
        }
    }

    /// Whether `channel`'s subscribe is sent and not yet answered.
    func isSubscribing(_ channel: FeedChannel) -> Bool {
        if case .subscribing = self[channel] { return true }
        return false
    }
}
