/// The JSON text of the requests the feed sends (docs/kraken-v2.md §2.1). Built by hand: the
/// shapes are fixed, and key order stays stable for logs and tests.
public enum FeedRequest {
    /// `subscribe` for one channel; `snapshot: true` is always explicit (trade defaults to false).
    static func subscribe(_ channel: FeedChannel, symbol: String, depth: Int, requestID: Int) -> String {
        subscribe(channel, symbols: [symbol], depth: depth, requestID: requestID)
    }

    /// `subscribe` for one channel and several symbols (a group's connection).
    static func subscribe(_ channel: FeedChannel, symbols: [String], depth: Int, requestID: Int) -> String {
        "{\"method\":\"subscribe\",\"params\":\(params(channel, symbols: symbols, depth: depth, snapshot: true)),"
            + "\"req_id\":\(requestID)}"
    }

    /// `unsubscribe` for one channel.
    static func unsubscribe(_ channel: FeedChannel, symbol: String, depth: Int, requestID: Int) -> String {
        unsubscribe(channel, symbols: [symbol], depth: depth, requestID: requestID)
    }

    /// `unsubscribe` for one channel and several symbols.
    static func unsubscribe(_ channel: FeedChannel, symbols: [String], depth: Int, requestID: Int) -> String {
        "{\"method\":\"unsubscribe\",\"params\":\(params(channel, symbols: symbols, depth: depth, snapshot: false)),"
            + "\"req_id\":\(requestID)}"
    }

    /// The ticker's `event_trigger`: a row for every change of the best bid or offer (Kraken's
    /// default, `trades`, would give one per trade and miss quote changes).
    public static let tickerTrigger = "bbo"

    /// App-level `ping`.
    static func ping(requestID: Int) -> String {
        "{\"method\":\"ping\",\"req_id\":\(requestID)}"
    }

    /// How every ping text starts (a group's connection sends one ping for all its markets).
    static let pingPrefix = "{\"method\":\"ping\""

    /// Whether `text` is a ping built by `ping(requestID:)`.
    public static func isPing(_ text: String) -> Bool { text.hasPrefix(pingPrefix) }

    private static func params(_ channel: FeedChannel, symbols: [String], depth: Int, snapshot: Bool) -> String {
        var text = "{\"channel\":\"\(channel.krakenName)\""
        if channel != .instrument {
            text += ",\"symbol\":[" + symbols.map(JSONString.quoted).joined(separator: ",") + "]"
        }
        if channel == .book {
            text += ",\"depth\":\(depth)"
        }
        if channel == .ticker {
            text += ",\"event_trigger\":\"\(tickerTrigger)\""
        }
        if let interval = channel.ohlcInterval {
            text += ",\"interval\":\(interval.minutes)"
        }
        if snapshot {
            text += ",\"snapshot\":true"
        }
        return text + "}"
    }

}
