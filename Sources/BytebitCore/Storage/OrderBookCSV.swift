/// The order book file's layout (SPEC §4.1): bids deepest → best, the mid price, asks best → deepest.
public enum OrderBookCSV {
    /// The header line (with its newline) for `levels` price levels per side (the columns are
    /// `RecordedStream.orderBook`'s).
    public static func header(levels: Int) -> [UInt8] {
        StreamLayout(stream: .orderBook, levels: levels).header
    }

    /// Appends one row (with its newline). `bids` and `asks` come best first; a side with fewer than
    /// `levels` levels leaves its deepest cells empty, and `mid_price` is empty when a side is empty.
    /// Numbers are printed as given (padding to the pair's precision is the caller's choice).
    ///
    /// The hot path of the collector: the row is written in place into room reserved at the end of
    /// `bytes`, with no allocation per number (a 25-level row holds 101 numbers).
    public static func appendRow(
        to bytes: inout [UInt8],
        timestamp: UTCTimestamp,
        receivedAt: UTCTimestamp,
        bids: ArraySlice<PriceLevel>,
        asks: ArraySlice<PriceLevel>,
        levels: Int
    ) {
        var unmarked = UnmarkedLevels()
        appendRow(
            to: &bytes, timestamp: timestamp, receivedAt: receivedAt, bids: bids, asks: asks, levels: levels,
            marking: &unmarked)
    }

    /// `appendRow`, telling `marks` where each level's `qty,price` text went (offsets from the row's
    /// start): what `BookRowText` shares with the outputs. Specialized per `Marks`, so the files'
    /// own path (`UnmarkedLevels`) pays nothing for it.
    static func appendRow<Marks: LevelTextMarks>(
        to bytes: inout [UInt8],
        timestamp: UTCTimestamp,
        receivedAt: UTCTimestamp,
        bids: ArraySlice<PriceLevel>,
        asks: ArraySlice<PriceLevel>,
        levels: Int,
        marking marks: inout Marks
    ) {
        let bidCount = min(levels, bids.count)
        let askCount = min(levels, asks.count)
        let mid = bids.first.flatMap { bid in asks.first.flatMap { bid.price.midpoint(with: $0.price) } }
        var room = 2 * (UTCTimestamp.textLength + 1) + 4 * levels + 2 + (mid?.maximumTextLength ?? 0)
        for level in bids.prefix(bidCount) { room += level.qty.maximumTextLength + level.price.maximumTextLength }
        for level in asks.prefix(askCount) { room += level.qty.maximumTextLength + level.price.maximumTextLength }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: room))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int in
            let base = buffer.baseAddress.unsafelyUnwrapped + start
            var cursor = base
            func put(_ byte: UInt8) {
                cursor.pointee = byte
                cursor += 1
            }
            /// A level's `qty,price`; `marks` learns where it went (unused offsets cost nothing).
            func put(_ level: PriceLevel) -> (start: Int, comma: Int, end: Int) {
                let start = cursor - base
                cursor += level.qty.writeText(to: cursor)
                let comma = cursor - base
                put(CSVText.comma)
                cursor += level.price.writeText(to: cursor)
                return (start, comma, cursor - base)
            }
            cursor += timestamp.writeText(to: cursor)
            put(CSVText.comma)
            cursor += receivedAt.writeText(to: cursor)
            for depth in stride(from: levels - 1, through: 0, by: -1) {
                put(CSVText.comma)
                if depth < bidCount {
                    let at = put(bids[bids.startIndex + depth])
                    marks.mark(bid: depth, start: at.start, comma: at.comma, end: at.end)
                } else {
                    put(CSVText.comma)
                }
            }
            put(CSVText.comma)
            if let mid { cursor += mid.writeText(to: cursor) }
            for depth in 0..<levels {
                put(CSVText.comma)
                if depth < askCount {
                    let at = put(asks[asks.startIndex + depth])
                    marks.mark(ask: depth, start: at.start, comma: at.comma, end: at.end)
                } else {
                    put(CSVText.comma)
                }
            }
            put(CSVText.newline)
            return cursor - base
        }
        bytes.removeLast(room - written)
    }
}

/// Where one level's text lies in its order book row: `qty` is `start..<comma`, `price` is
/// `comma + 1..<end` (offsets from the row's first byte).
struct LevelTextSpan: Sendable, Equatable {
    var start: Int32
    var comma: Int32
    var end: Int32

    /// A row is far below 2 GiB: the offsets fit.
    init(_ start: Int, _ comma: Int, _ end: Int) {
        self.start = Int32(truncatingIfNeeded: start)
        self.comma = Int32(truncatingIfNeeded: comma)
        self.end = Int32(truncatingIfNeeded: end)
    }
}

/// Told where each level's text went as `OrderBookCSV` writes a row (depth 0 is the best level;
/// offsets from the row's first byte: `qty` is `start..<comma`, `price` is `comma + 1..<end`).
protocol LevelTextMarks {
    mutating func mark(bid depth: Int, start: Int, comma: Int, end: Int)
    mutating func mark(ask depth: Int, start: Int, comma: Int, end: Int)
}

/// The files' own path: nothing to tell.
struct UnmarkedLevels: LevelTextMarks {
    @inline(__always) mutating func mark(bid depth: Int, start: Int, comma: Int, end: Int) {}
    @inline(__always) mutating func mark(ask depth: Int, start: Int, comma: Int, end: Int) {}
}
