/// The JSON text of the requests the feed sends (docs/kraken-v2.md §2.1). Built by hand: the
/// shapes are fixed, and key order stays stable for logs and tests.
enum FeedRequest {
    /// `subscribe` for one channel; `snapshot: true` is always explicit (trade defaults to false).
    static func subscribe(_ channel: FeedChannel, symbol: String, depth: Int, requestID: Int) -> String {
        "{\"method\":\"subscribe\",\"params\":\(params(channel, symbol: symbol, depth: depth, snapshot: true)),"
            + "\"req_id\":\(requestID)}"
    }

    /// `unsubscribe` for one channel.
    static func unsubscribe(_ channel: FeedChannel, symbol: String, depth: Int, requestID: Int) -> String {
        "{\"method\":\"unsubscribe\",\"params\":\(params(channel, symbol: symbol, depth: depth, snapshot: false)),"
            + "\"req_id\":\(requestID)}"
    }

    /// App-level `ping`.
    static func ping(requestID: Int) -> String {
        "{\"method\":\"ping\",\"req_id\":\(requestID)}"
    }

    private static func params(_ channel: FeedChannel, symbol: String, depth: Int, snapshot: Bool) -> String {
        var text = "{\"channel\":\"\(channel.rawValue)\""
        if channel != .instrument {
            text += ",\"symbol\":[\(JSONString.quoted(symbol))]"
        }
        if channel == .book {
            text += ",\"depth\":\(depth)"
        }
        if snapshot {
            text += ",\"snapshot\":true"
        }
        return text + "}"
    }

}
