/// Feeding Kraken `book` messages into an `OrderBook`.
extension OrderBook {
    /// Replaces the whole book with a snapshot message's levels.
    public mutating func replace(with snapshot: KrakenBookMessage) {
        replace(bids: snapshot.bids, asks: snapshot.asks)
    }

    /// Applies an update message's levels in wire order, then truncates to `depth`.
    public mutating func apply(_ update: KrakenBookMessage) {
        apply(bids: update.bids, asks: update.asks)
    }

    /// Replaces (snapshot) or applies (update) a message and tells whether the resulting book
    /// matches Kraken's checksum. The caller checks the symbol first.
    public mutating func ingest(_ message: KrakenBookMessage) -> ChecksumResult {
        if message.isSnapshot {
            replace(with: message)
        } else {
            apply(message)
        }
        return ChecksumResult(expected: message.checksum, computed: checksum)
    }

    /// Kraken's checksum next to ours, for the checksum-mismatch event.
    public struct ChecksumResult: Sendable, Equatable {
        /// The `checksum` field of the message.
        public var expected: UInt32
        /// The checksum of our book after the message.
        public var computed: UInt32
        /// True when the book is verified.
        public var isMatch: Bool { expected == computed }
    }
}
