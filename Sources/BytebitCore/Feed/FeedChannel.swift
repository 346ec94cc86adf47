/// A Kraken v2 subscription this feed makes: a channel, and for `ohlc` its interval (Kraken takes
/// one interval per subscription, so each recorded interval is a row of the channel table of its
/// own). The raw value names it in logs and the ledger; `krakenName` is Kraken's channel name.
///
/// Adding a channel (ticker, ohlc: SPEC §10) means: a case here, its facts in
/// `FeedChannel+Lifecycle.swift` and `FeedConfiguration+Channels.swift`, a decoder in `Kraken/`,
/// and a sink record; the feed machine's table then subscribes, times out and retries it.
public enum FeedChannel: String, Sendable, Hashable, CaseIterable {
    /// Reference data: listing and price/qty precisions (needed to verify book checksums).
    case instrument
    /// The L2 order book.
    case book
    /// Trades.
    case trade
    /// L1: best bid and offer with their sizes and the 24-hour figures (`event_trigger: bbo`).
    case ticker
    /// Kraken's own candles, one subscription per interval.
    case ohlc1m = "ohlc 1m"
    case ohlc5m = "ohlc 5m"
    case ohlc15m = "ohlc 15m"
    case ohlc30m = "ohlc 30m"
    case ohlc1h = "ohlc 1h"
    case ohlc4h = "ohlc 4h"
    case ohlc1d = "ohlc 1d"
    case ohlc1w = "ohlc 1w"
    case ohlc15d = "ohlc 15d"

    /// The subscription of Kraken's candles at `interval`.
    public static func ohlc(_ interval: OHLCInterval) -> FeedChannel {
        switch interval {
        case .oneMinute: .ohlc1m
        case .fiveMinutes: .ohlc5m
        case .fifteenMinutes: .ohlc15m
        case .thirtyMinutes: .ohlc30m
        case .oneHour: .ohlc1h
        case .fourHours: .ohlc4h
        case .oneDay: .ohlc1d
        case .oneWeek: .ohlc1w
        case .fifteenDays: .ohlc15d
        }
    }

    /// The candle interval of an `ohlc` subscription; nil for the other channels.
    public var ohlcInterval: OHLCInterval? {
        switch self {
        case .instrument, .book, .trade, .ticker: nil
        case .ohlc1m: .oneMinute
        case .ohlc5m: .fiveMinutes
        case .ohlc15m: .fifteenMinutes
        case .ohlc30m: .thirtyMinutes
        case .ohlc1h: .oneHour
        case .ohlc4h: .fourHours
        case .ohlc1d: .oneDay
        case .ohlc1w: .oneWeek
        case .ohlc15d: .fifteenDays
        }
    }

    /// Kraken's channel name: `book`, `ticker`, `ohlc`, …
    public var krakenName: String { ohlcInterval == nil ? rawValue : "ohlc" }

    /// The subscription an acknowledgement names: Kraken's channel and, for `ohlc`, its `interval`
    /// in minutes. Nil for a channel (or interval) this feed never subscribes.
    public init?(krakenName: String, interval: Int?) {
        if krakenName == "ohlc" {
            guard let interval = interval.flatMap(OHLCInterval.init(minutes:)) else { return nil }
            self = .ohlc(interval)
        } else {
            guard let channel = FeedChannel(rawValue: krakenName), channel.ohlcInterval == nil else { return nil }
            self = channel
        }
    }
}
