/// The verified top of a book as the recorder hands it to the sinks.
extension VerifiedBookTop {
    /// The best `levels` bids and asks of `book` (slices, no copy) with their rendered row text
    /// (`OrderBook.topText`: only levels changed since the last row are formatted).
    public init(
        timestamp: UTCTimestamp, receivedAt: UTCTimestamp, levels: Int, of book: inout OrderBook, checksum: UInt32
    ) {
        // Render first: the slices below must not be held while the book's text storage changes.
        let text = book.topText(levels: levels)
        self.init(
            timestamp: timestamp, receivedAt: receivedAt, bids: book.bids.prefix(levels),
            asks: book.asks.prefix(levels), checksum: checksum)
        levelText = text
    }
}
