/// One verified book's order book row, formatted once for the file and every output: the CSV row
/// (SPEC §4.1) byte for byte, and where each level's price and quantity text lies in it. With
/// outputs on, the recorder formats it before the sinks see a book whose levels carry no JSON
/// fragments (`VerifiedBookTop.carriesLevelJSON`: a number too long for a level's text), and a
/// message of a book given without either is written from one: the file appends the row as it is,
/// and the JSON of SPEC §9 (`LiveMessage`) copies the same number text out of it instead of
/// formatting the numbers a second time. So a message cannot say anything its file row does not.
///
/// A value type that keeps its buffers between books: format into the same one again and no
/// memory is allocated (unless a sink still holds a copy, which copy-on-write then keeps intact).
public struct BookRowText: Sendable {
    /// The order book row with its newline (`rowLength` bytes), then `padding` zeros: the JSON
    /// copies number text eight bytes at a time and may read past a number's end.
    private(set) var storage: [UInt8] = []
    /// The row's length in `storage`.
    public private(set) var rowLength = 0
    static let padding = 8
    private static let paddingZeros = [UInt8](repeating: 0, count: padding)
    /// Levels per side the row has columns for (the market's `levels`).
    public private(set) var levels = 0
    /// The levels written: bids best first, then asks best first.
    private(set) var spans: [LevelTextSpan] = []
    /// How many of `spans` are bids.
    public private(set) var bidCount = 0
    /// The checksum the book was verified against.
    public private(set) var checksum: UInt32 = 0
    /// Copies the cells from the book's level text when the top carries it (`levelText`).
    private var rowWriter = OrderBookRowWriter()

    public init() {}

    /// The row of `top` with `levels` levels per side (what `OrderBookCSV.appendRow` writes).
    public init(_ top: VerifiedBookTop, levels: Int) {
        format(top, levels: levels)
    }

    /// Replaces the text with `top`'s row, reusing the buffers.
    public mutating func format(_ top: VerifiedBookTop, levels: Int) {
        self.levels = levels
        checksum = top.checksum
        bidCount = min(levels, top.bids.count)
        let count = bidCount + min(levels, top.asks.count)
        // Every span is written below (each level is marked): only a new count needs new ones.
        if spans.count != count { spans = Array(repeating: LevelTextSpan(0, 0, 0), count: count) }
        storage.removeAll(keepingCapacity: true)
        spans.withUnsafeMutableBufferPointer { spans in
            var marks = SpanMarks(spans: spans, bidCount: bidCount)
            if let levelText = top.levelText, levelText.covers(levels: levels, bids: top.bids, asks: top.asks) {
                rowWriter.appendRow(
                    to: &storage, timestamp: top.timestamp, receivedAt: top.receivedAt, bids: top.bids,
                    asks: top.asks, text: levelText, levels: levels, marking: &marks)
            } else {
                OrderBookCSV.appendRow(
                    to: &storage, timestamp: top.timestamp, receivedAt: top.receivedAt, bids: top.bids,
                    asks: top.asks, levels: levels, marking: &marks)
            }
        }
        rowLength = storage.count
        // From a constant (appending `repeatElement` cost ~150 instructions for 8 zeros).
        Self.paddingZeros.withUnsafeBufferPointer { storage.append(contentsOf: $0) }
    }

    /// The order book row with its newline (a copy: the file sink appends `rowBytes`).
    public var row: [UInt8] { Array(rowBytes) }

    /// The row's bytes, in place.
    public var rowBytes: ArraySlice<UInt8> { storage[..<rowLength] }

    /// Becomes a copy of `other` in its own buffers (a sink keeping a book past the call: it must
    /// not hold on to the recorder's buffers, which would then be copied at the next book).
    /// The live sink copies every book it keeps: the buffers are sized to the other's and filled
    /// with one memcpy each (emptying and appending cost twice as much).
    public mutating func copy(_ other: BookRowText) {
        Self.copy(other.storage, into: &storage)
        rowLength = other.rowLength
        Self.copy(other.spans, into: &spans)
        levels = other.levels
        bidCount = other.bidCount
        checksum = other.checksum
    }

    private static func copy<Element: BitwiseCopyable>(_ source: [Element], into target: inout [Element]) {
        if target.count > source.count {
            target.removeLast(target.count - source.count)
        } else if target.count < source.count {
            target.append(contentsOf: source[target.count...])
        }
        target.withUnsafeMutableBufferPointer { target in
            source.withUnsafeBufferPointer { source in
                if let to = target.baseAddress, let from = source.baseAddress { to.update(from: from, count: source.count) }
            }
        }
    }

    /// The text of `timestamp` (the row's first cell) and of `received_at` (its second).
    static let timestampRange = 0..<UTCTimestamp.textLength
    static let receivedAtRange = (UTCTimestamp.textLength + 1)..<(2 * UTCTimestamp.textLength + 1)

    /// The levels' spans: bids best first (`0..<bidCount`), then asks best first.
    var bidSpans: ArraySlice<LevelTextSpan> { spans[..<bidCount] }
    var askSpans: ArraySlice<LevelTextSpan> { spans[bidCount...] }

    /// Writes the spans as `OrderBookCSV` reports them (bids and asks by depth from the best).
    private struct SpanMarks: LevelTextMarks {
        let spans: UnsafeMutableBufferPointer<LevelTextSpan>
        let bidCount: Int

        mutating func mark(bid depth: Int, start: Int, comma: Int, end: Int) {
            spans[depth] = LevelTextSpan(start, comma, end)
        }

        mutating func mark(ask depth: Int, start: Int, comma: Int, end: Int) {
            spans[bidCount + depth] = LevelTextSpan(start, comma, end)
        }
    }
}
