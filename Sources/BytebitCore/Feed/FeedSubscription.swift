/// A subscribe or unsubscribe request of one market's feed on a connection it shares with other
/// markets: the group's connection merges these (one request per channel for many symbols, paced)
/// instead of sending each one's text (SPEC §7).
public struct FeedSubscription: Sendable, Equatable {
    public enum Method: String, Sendable {
        case subscribe, unsubscribe
    }

    public var method: Method
    public var channel: FeedChannel
    /// Kraken's spelling (`BTC/USD`); unused for `instrument`.
    public var symbol: String
    public var depth: Int
    /// The feed's own `req_id` for it (a rejection without a symbol is mapped back to it).
    public var requestID: Int

    public init(method: Method, channel: FeedChannel, symbol: String, depth: Int, requestID: Int) {
        self.method = method
        self.channel = channel
        self.symbol = symbol
        self.depth = depth
        self.requestID = requestID
    }

    /// Requests that may share one request text: same method and channel, and for the book the same
    /// depth (the only channel whose request names one). Keyed by depth, a group with one market at
    /// another depth sent a second `instrument` subscribe, which Kraken refuses ("Already
    /// subscribed", naming no symbol): that refusal went to the second request's parts as theirs.
    public var batchKey: String {
        channel == .book ? "\(method.rawValue) \(channel.rawValue) \(depth)" : "\(method.rawValue) \(channel.rawValue)"
    }

    /// The request text for this request alone.
    public var text: String { Self.text(method, channel, symbols: [symbol], depth: depth, requestID: requestID) }

    /// One request text for many symbols (`"symbol":[…]`, docs/kraken-v2.md §2.1).
    public static func text(
        _ method: Method, _ channel: FeedChannel, symbols: [String], depth: Int, requestID: Int
    ) -> String {
        switch method {
        case .subscribe: FeedRequest.subscribe(channel, symbols: symbols, depth: depth, requestID: requestID)
        case .unsubscribe: FeedRequest.unsubscribe(channel, symbols: symbols, depth: depth, requestID: requestID)
        }
    }
}
