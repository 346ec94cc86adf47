/// Which channels a configuration records.
extension FeedConfiguration {
    /// Whether `channel` is subscribed (the instrument channel always is: the book needs it).
    func records(_ channel: FeedChannel) -> Bool {
        switch channel {
        case .instrument: true
        case .book: recordsBook
        case .trade: recordsTrades
        case .ticker: recordsTicker
        default: channel.ohlcInterval.map(ohlcIntervals.contains) ?? false
        }
    }

    /// The recorded channels in subscription order.
    var recordedChannels: [FeedChannel] { FeedChannel.allCases.filter(records) }

    /// The channel whose going live makes the session live (and, after 30 s, stable): the first
    /// recorded data channel, i.e. the book when it is recorded.
    var primaryChannel: FeedChannel {
        recordedChannels.first { !$0.isReference } ?? .instrument
    }
}
