/// The verified top of a book as the recorder hands it to the sinks.
extension VerifiedBookTop {
    /// The best `levels` bids and asks of `book` (slices, no copy) with their rendered row text
    /// (`OrderBook.topText`: only levels changed since the last row are formatted).
    public init(
        timestamp: UTCTimestamp, receivedAt: UTCTimestamp, levels: Int, of book: inout OrderBook, checksum: UInt32
    ) {
        // Render first: the slices below must not be held while the book's text storage changes.
        let text = book.topText(levels: levels)
        // Every field set here, not through the memberwise `init` and a change of `levelText`
        // after it: that built the top in a temporary, then copied it into `self` and destroyed
        // the temporary (two value-witness calls, ~300 instructions per row; issue 10, callgrind).
        self.timestamp = timestamp
        self.receivedAt = receivedAt
        self.bids = book.bids.prefix(levels)
        self.asks = book.asks.prefix(levels)
        self.checksum = checksum
        self.text = nil
        self.levelText = text
    }
}
