/// A Kraken v2 channel this feed subscribes to. Its raw value is Kraken's channel name.
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
}
