/// Writes order book rows (SPEC §4.1, the bytes of `OrderBookCSV.appendRow`) from the book's
/// rendered level text (`BookTopText`): each level's `qty,price` cells are copied (a fixed 48-byte
/// move, then the cursor steps by their length) instead of formatting 4 numbers per level, and the
/// two timestamps reuse their text up to the second (`TimestampTextCache`). Only the mid price is
/// formatted per row. The row is written into a `RowScratch` (kept between rows), then appended
/// with one copy.
struct OrderBookRowWriter: Sendable {
    private var scratch = RowScratch()

    init() {}

    /// Appends the row of `bids`/`asks` (best first) whose cells are `text` (the same levels'
    /// `BookTopText`, covering them), telling `marks` where each level's cells went.
    mutating func appendRow<Marks: LevelTextMarks>(
        to bytes: inout [UInt8],
        timestamp: UTCTimestamp,
        receivedAt: UTCTimestamp,
        bids: ArraySlice<PriceLevel>,
        asks: ArraySlice<PriceLevel>,
        text: BookTopText,
        levels: Int,
        marking marks: inout Marks
    ) {
        // The caller checked `text.covers(levels:bids:asks:)`.
        let mid = bids.first.flatMap { bid in asks.first.flatMap { bid.price.midpoint(with: $0.price) } }
        text.bids.withUnsafeBufferPointer { bidTexts in
            text.asks.withUnsafeBufferPointer { askTexts in
                appendRow(
                    to: &bytes, timestamp: timestamp, receivedAt: receivedAt, mid: mid, bidCount: min(levels, bids.count),
                    askCount: min(levels, asks.count), bidTexts: bidTexts.baseAddress, askTexts: askTexts.baseAddress,
                    levels: levels, marking: &marks)
            }
        }
    }

    /// The same row from the levels' texts in place (`bidTexts`, `askTexts`: at least `bidCount`
    /// and `askCount` rendered texts, best first) and the mid price of the best bid and ask.
    mutating func appendRow<Marks: LevelTextMarks>(
        to bytes: inout [UInt8], timestamp: UTCTimestamp, receivedAt: UTCTimestamp, mid: ExactDecimal?,
        bidCount: Int, askCount: Int, bidTexts: UnsafePointer<LevelText>?, askTexts: UnsafePointer<LevelText>?,
        levels: Int, marking marks: inout Marks
    ) {
        // After the timestamps: every level's copy moves a whole `cellCapacity`; the mid and the
        // newline come last.
        let room = 2 * levels * (LevelText.cellCapacity + 1) + 2 + (mid?.maximumTextLength ?? 0)
        scratch.appendRow(to: &bytes, room: room, timestamp: timestamp, receivedAt: receivedAt) { base, start in
            var cursor = start
            @inline(__always) func put(_ byte: UInt8) {
                cursor.pointee = byte
                cursor += 1
            }
            @inline(__always) func put(_ texts: UnsafePointer<LevelText>, _ index: Int) -> (start: Int, comma: Int, end: Int) {
                let text = UnsafeRawPointer(texts + index)
                let (length, comma) = LevelText.cells(at: text)
                UnsafeMutableRawPointer(cursor).copyMemory(from: text, byteCount: LevelText.cellCapacity)
                let start = cursor - base
                cursor += length
                return (start, start + comma, start + length)
            }
            for depth in stride(from: levels - 1, through: 0, by: -1) {
                put(CSVText.comma)
                if depth < bidCount, let bidTexts {
                    let at = put(bidTexts, depth)
                    marks.mark(bid: depth, start: at.start, comma: at.comma, end: at.end)
                } else {
                    put(CSVText.comma)
                }
            }
            put(CSVText.comma)
            if let mid { cursor += mid.writeText(to: cursor) }
            for depth in 0..<levels {
                put(CSVText.comma)
                if depth < askCount, let askTexts {
                    let at = put(askTexts, depth)
                    marks.mark(ask: depth, start: at.start, comma: at.comma, end: at.end)
                } else {
                    put(CSVText.comma)
                }
            }
            put(CSVText.newline)
            return cursor
        }
    }
}
