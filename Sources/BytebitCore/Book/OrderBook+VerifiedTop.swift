/// The verified top of a book as the recorder hands it to the sinks.
extension VerifiedBookTop {
    /// The best `levels` bids and asks of `book` (slices, no copy) with their rendered row text
    /// (`OrderBook.topText`: only levels changed since the last row are formatted).
    ///
    /// Every stored property is set here, in place: delegating to the memberwise `init` and then
    /// setting `levelText` built the top in a temporary and copied it into `self` (an outlined
    /// copy and destroy of the whole top, four retains and releases of its slices and a generic
    /// destroy of the `nil` text, ~360 instructions per book row; issue 10, callgrind).
    public init(
        timestamp: UTCTimestamp, receivedAt: UTCTimestamp, levels: Int, of book: inout OrderBook, checksum: UInt32
    ) {
        // Render first: the slices below must not be held while the book's text storage changes.
        levelText = book.topText(levels: levels)
        self.timestamp = timestamp
        self.receivedAt = receivedAt
        bids = book.bids.prefix(levels)
        asks = book.asks.prefix(levels)
        self.checksum = checksum
        text = nil
    }
}
