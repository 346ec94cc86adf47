/// One book level's text, rendered once when the level is first needed after it changed: its
/// order book row cells `qty,price` (exactly what `ExactDecimal.writeText` prints) and its Kraken
/// checksum digits (price then qty, as `BookChecksum` computes them). A row then copies each
/// level's cells instead of formatting 4 numbers per level per message, and the checksum runs over
/// stored digits; only the levels a message changed are formatted again.
///
/// A fixed 96-byte value (no heap storage) kept beside its level in `BookSide`'s gap buffer, so
/// it moves with the level. Layout: bytes 0..<48 the cells, 48..<88 the checksum digits, then the
/// cells' length (0: not rendered), the comma's offset in them, and the digits' length.
public struct LevelText: Sendable, BitwiseCopyable {
    private var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    /// Room for the cells: a row copies this many bytes per level (then advances by the length).
    static let cellCapacity = 48
    static let digitsOffset = 48
    static let digitCapacity = 40
    static let cellLengthOffset = 88
    static let commaOffset = 89
    static let digitLengthOffset = 90
    /// The cells' length of a level whose text did not fit (scale beyond 19 digits): such a level
    /// is formatted the old way (`BookSide.text` says nil).
    static let doesNotFit: UInt8 = 0xFF

    static let empty = LevelText()
}

/// Reading and rendering a `LevelText` in place (it lives in an array: no copies of 96 bytes).
extension LevelText {
    /// Renders `level` at `text` (padding digits to the precisions for the checksum, as
    /// `BookChecksum.compute` does).
    @inline(__always)
    static func render(
        _ level: PriceLevel, pricePrecision: Int8, qtyPrecision: Int8, at text: UnsafeMutableRawPointer
    ) {
        let bytes = text.assumingMemoryBound(to: UInt8.self)
        let digits = BookChecksum.writeDigits(
            of: level, pricePrecision: pricePrecision, qtyPrecision: qtyPrecision, to: bytes + digitsOffset)
        bytes[digitLengthOffset] = UInt8(truncatingIfNeeded: digits)
        guard level.qty.maximumTextLength + 1 + level.price.maximumTextLength <= cellCapacity else {
            bytes[cellLengthOffset] = doesNotFit
            return
        }
        let comma = level.qty.writeText(to: bytes)
        bytes[comma] = UInt8(ascii: ",")
        let length = comma + 1 + level.price.writeText(to: bytes + comma + 1)
        bytes[commaOffset] = UInt8(truncatingIfNeeded: comma)
        bytes[cellLengthOffset] = UInt8(truncatingIfNeeded: length)
    }

    /// Marks the text at `text` as not rendered (its level changed).
    @inline(__always)
    static func invalidate(at text: UnsafeMutableRawPointer) {
        text.storeBytes(of: 0, toByteOffset: cellLengthOffset, as: UInt8.self)
    }

    @inline(__always)
    static func isRendered(at text: UnsafeRawPointer) -> Bool {
        text.load(fromByteOffset: cellLengthOffset, as: UInt8.self) != 0
    }

    @inline(__always)
    static func fits(at text: UnsafeRawPointer) -> Bool {
        text.load(fromByteOffset: cellLengthOffset, as: UInt8.self) != doesNotFit
    }

    /// The cells' length and the comma's offset in them.
    @inline(__always)
    static func cells(at text: UnsafeRawPointer) -> (length: Int, comma: Int) {
        (Int(text.load(fromByteOffset: cellLengthOffset, as: UInt8.self)),
         Int(text.load(fromByteOffset: commaOffset, as: UInt8.self)))
    }

    /// The checksum digits' length (they start at `digitsOffset`).
    @inline(__always)
    static func digitCount(at text: UnsafeRawPointer) -> Int {
        Int(text.load(fromByteOffset: digitLengthOffset, as: UInt8.self))
    }
}

/// The rendered text of a verified book's top levels (best first), beside its `bids` and `asks`
/// in `VerifiedBookTop`: a slice of the book's own text storage, so no copy is made.
public struct BookTopText: Sendable {
    let bids: ArraySlice<LevelText>
    let asks: ArraySlice<LevelText>
    /// How many slots after each level's text its JSON fragment is in the text buffer, per side
    /// (`LevelJSONFragment`); 0 when the book renders none (`OrderBook.rendersLevelJSON`).
    var bidFragmentPlane = 0
    var askFragmentPlane = 0

    /// Whether this text has the cells of every level a row of `levels` levels prints from these
    /// `bids` and `asks` (it was rendered for at least as many levels).
    func covers(levels: Int, bids: ArraySlice<PriceLevel>, asks: ArraySlice<PriceLevel>) -> Bool {
        self.bids.count >= min(levels, bids.count) && self.asks.count >= min(levels, asks.count)
    }
}
