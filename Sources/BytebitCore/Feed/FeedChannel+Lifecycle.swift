/// How each channel moves through its stages: the per-channel facts the feed machine's table uses.
extension FeedChannel {
    /// The channel's row in `ChannelTable`: its position in `allCases`.
    var tableIndex: Int {
        switch self {
        case .instrument: 0
        case .book: 1
        case .trade: 2
        }
    }

    /// Subscribed as soon as a connection opens; the others wait for its snapshot (the pair's
    /// listing and precisions).
    var isReference: Bool {
        switch self {
        case .instrument: true
        case .book, .trade: false
        }
    }

    /// Live only once its snapshot arrives (instrument: the precisions; book: a verified book),
    /// not on the ack alone. The request deadline then covers the snapshot too.
    var waitsForSnapshot: Bool {
        switch self {
        case .instrument, .book: true
        case .trade: false
        }
    }

    /// The `subscribed` ledger row's detail for an ack; nil when the ack is not worth a row.
    func subscribedDetail(_ configuration: FeedConfiguration) -> String? {
        switch self {
        case .instrument: nil
        case .book: "book \(configuration.symbol) depth \(configuration.bookDepth)"
        case .trade: "trade \(configuration.symbol)"
        }
    }

    /// The `stale` detail when the request deadline passes without the ack (or the snapshot).
    func missedRequestDeadline(_ timeout: TimeSpan) -> String {
        waitsForSnapshot
            ? "no \(rawValue) snapshot within \(timeout.secondsText) of subscribing"
            : "no \(rawValue) subscription ack within \(timeout.secondsText)"
    }
}
