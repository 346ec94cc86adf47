/// A Kraken v2 channel this feed subscribes to.
public enum FeedChannel: String, Sendable, Hashable, CaseIterable {
    /// Reference data: listing and price/qty precisions (needed to verify book checksums).
    case instrument
    /// The L2 order book.
    case book
    /// Trades.
    case trade
}
