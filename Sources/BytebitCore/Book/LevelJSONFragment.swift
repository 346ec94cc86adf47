/// One book level as the outputs' JSON lists it (SPEC §9), `,["price","qty"]` with a leading comma,
/// rendered from the level's `LevelText` cells when they are rendered (only while the book has
/// outputs beside its files: `OrderBook.rendersLevelJSON`). A book's message is then its header
/// and one fixed-size copy per level, and only the levels a message changed are rendered again:
/// quoting every level's numbers per message cost ~45 instructions a level.
///
/// Kept in a `LevelText`-sized slot of `BookSide`'s text buffer, a fixed distance after its level's
/// text (same moves, same invalidation). Layout: bytes 0..<56 the fragment, byte 63 its length.
/// The text is the level's row cells', so a message never says other numbers than the file row.
enum LevelJSONFragment {
    /// Bytes a message copies per level (then advances by the length): the longest fragment is
    /// `,["` + 47 bytes of numbers (what fits a `LevelText`'s cells) + `","` + `"]`, 54 bytes.
    static let capacity = 56
    static let lengthOffset = 63
}

/// Rendering and reading a `LevelJSONFragment` in place (it lives in an array beside the level).
extension LevelJSONFragment {
    /// Renders the fragment of the rendered, fitting `LevelText` at `text` (cells `qty,price`) at
    /// `fragment`.
    @inline(__always)
    static func render(fromText text: UnsafeRawPointer, at fragment: UnsafeMutableRawPointer) {
        let (cellLength, comma) = LevelText.cells(at: text)
        let priceCount = cellLength - comma - 1
        let bytes = fragment.assumingMemoryBound(to: UInt8.self)
        // `,["` price `","` qty `"]`
        bytes[0] = UInt8(ascii: ",")
        bytes[1] = UInt8(ascii: "[")
        bytes[2] = UInt8(ascii: "\"")
        (fragment + 3).copyMemory(from: text + comma + 1, byteCount: priceCount)
        var cursor = 3 + priceCount
        bytes[cursor] = UInt8(ascii: "\"")
        bytes[cursor + 1] = UInt8(ascii: ",")
        bytes[cursor + 2] = UInt8(ascii: "\"")
        cursor += 3
        (fragment + cursor).copyMemory(from: text, byteCount: comma)
        cursor += comma
        bytes[cursor] = UInt8(ascii: "\"")
        bytes[cursor + 1] = UInt8(ascii: "]")
        bytes[lengthOffset] = UInt8(truncatingIfNeeded: cursor + 2)
    }

    @inline(__always)
    static func length(at fragment: UnsafeRawPointer) -> Int {
        Int(fragment.load(fromByteOffset: lengthOffset, as: UInt8.self))
    }

    /// `[["price","qty"],…]` of the fragments of `texts` (each `plane` slots after its level's
    /// text) at `cursor` (room for `capacity` bytes a level and 2); returns the end. Each level is
    /// one fixed-size copy (it may write past its fragment's end: the next one, or the caller's
    /// slack, covers that); the first level's leading comma becomes the array's `[`.
    @inline(__always)
    static func writeArray(
        of texts: UnsafeBufferPointer<LevelText>, plane: Int, at start: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        guard let base = texts.baseAddress, !texts.isEmpty else {
            start[0] = UInt8(ascii: "[")
            start[1] = UInt8(ascii: "]")
            return start + 2
        }
        var cursor = start
        for index in 0..<texts.count {
            let fragment = UnsafeRawPointer(base + plane + index)
            UnsafeMutableRawPointer(cursor).copyMemory(from: fragment, byteCount: capacity)
            cursor += length(at: fragment)
        }
        start[0] = UInt8(ascii: "[")
        cursor[0] = UInt8(ascii: "]")
        return cursor + 1
    }
}
