/// How each channel moves through its stages: the per-channel facts the feed machine's table uses.
extension FeedChannel {
    /// The channel's row in `ChannelTable`: its position in `allCases`.
    var tableIndex: Int {
        switch self {
        case .instrument: 0
        case .book: 1
        case .trade: 2
        case .ticker: 3
        case .ohlc1m: 4
        case .ohlc5m: 5
        case .ohlc15m: 6
        case .ohlc30m: 7
        case .ohlc1h: 8
        case .ohlc4h: 9
        case .ohlc1d: 10
        case .ohlc1w: 11
        case .ohlc15d: 12
        }
    }

    /// Subscribed as soon as a connection opens; the others wait for its snapshot (the pair's
    /// listing and precisions).
    var isReference: Bool {
        switch self {
        case .instrument: true
        default: false
        }
    }

    /// Whether Kraken refusing this channel with "Currency pair not supported" means the pair itself
    /// is not tradeable (exit 78 for a market alone). A refused ticker or ohlc is only that channel:
    /// a `rejected` row, retried with back-off, while the book and trades record on.
    var refusalMeansUnlistedPair: Bool {
        switch self {
        case .instrument, .book, .trade: true
        default: false
        }
    }

    /// Live only once its snapshot arrives (instrument: the precisions; book: a verified book),
    /// not on the ack alone. The request deadline then covers the snapshot too.
    var waitsForSnapshot: Bool {
        switch self {
        case .instrument, .book: true
        default: false
        }
    }

    /// The `subscribed` ledger row's detail for an ack; nil when the ack is not worth a row.
    func subscribedDetail(_ configuration: FeedConfiguration) -> String? {
        switch self {
        case .instrument: nil
        case .book: "book \(configuration.symbol) depth \(configuration.bookDepth)"
        case .trade: "trade \(configuration.symbol)"
        case .ticker: "ticker \(configuration.symbol) event_trigger \(FeedRequest.tickerTrigger)"
        default: "\(rawValue) \(configuration.symbol)"
        }
    }

    /// The `stale` detail when the request deadline passes without the ack (or the snapshot).
    func missedRequestDeadline(_ timeout: TimeSpan) -> String {
        waitsForSnapshot
            ? "no \(rawValue) snapshot within \(timeout.secondsText) of subscribing"
            : "no \(rawValue) subscription ack within \(timeout.secondsText)"
    }
}
