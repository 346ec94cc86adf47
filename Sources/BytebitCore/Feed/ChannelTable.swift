/// The stage of every channel this feed records, keyed by channel, for one connection.
///
/// A channel the configuration does not record has no row: reading it gives nil and writing it
/// is ignored, so no code path can subscribe a channel that is off.
struct ChannelTable: Sendable, Equatable {
    private var stages: [FeedChannel: ChannelStage]
    /// The recorded channels in subscription order (`FeedChannel.allCases` order).
    let channels: [FeedChannel]

    /// Every channel in `channels` starts `idle`.
    init(recording channels: [FeedChannel]) {
        self.channels = FeedChannel.allCases.filter(channels.contains)
        stages = Dictionary(uniqueKeysWithValues: self.channels.map { ($0, ChannelStage.idle) })
    }

    /// The stage of `channel`, nil when it is not recorded.
    subscript(channel: FeedChannel) -> ChannelStage? {
        get { stages[channel] }
        set {
            guard stages[channel] != nil, let newValue else { return }
            stages[channel] = newValue
        }
    }

    /// Whether `channel`'s subscribe is sent and not yet answered.
    func isSubscribing(_ channel: FeedChannel) -> Bool {
        if case .subscribing = stages[channel] { return true }
        return false
    }
}
