/// A book's message from its levels' JSON fragments (`LevelJSONFragment`, rendered in the book when
/// the levels changed): the header, the two times (their second's text reused:
/// `TimestampTextCache`), the checksum, then one fixed-size copy per level. The same bytes as
/// `writeBook` from the row text (the fragments hold the row cells' text), without formatting a
/// row for the outputs.
extension LiveMessage {
    /// The times' text of the books of one market, from book to book.
    struct BookTimesText {
        var timestamp = TimestampTextCache()
        var receivedAt = TimestampTextCache()
    }

    /// At most: the header with the pair's name, the keys, both times with their quotes, the
    /// checksum's 10 digits, `LevelJSONFragment.capacity` a level, both arrays' brackets, `}`.
    static func bookRoom(fragmentsOf top: VerifiedBookTop, pair: UnsafeBufferPointer<UInt8>) -> Int {
        bookHeader.utf8CodeUnitCount + pair.count + 1 + bookKeysLength + 2 * (UTCTimestamp.textLength + 1) + 10
            + (top.bids.count + top.asks.count) * LevelJSONFragment.capacity + 4 + 1
    }

    /// Writes the message of `top` (which `carriesLevelJSON`) at `begin` (room for `bookRoom`
    /// bytes; `pair` needs no escaping) and returns its length.
    static func writeBook(
        fragmentsOf top: VerifiedBookTop, pair: UnsafeBufferPointer<UInt8>, times: inout BookTimesText,
        at begin: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var cursor = begin
        @inline(__always) func put(_ text: StaticString) {
            UnsafeMutableRawPointer(cursor).copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
            cursor += text.utf8CodeUnitCount
        }
        put(bookHeader)
        if let base = pair.baseAddress { cursor.update(from: base, count: pair.count) }
        cursor += pair.count
        put("\",\"timestamp\":\"")
        cursor += times.timestamp.write(top.timestamp, to: cursor)
        put("\",\"received_at\":\"")
        cursor += times.receivedAt.write(top.receivedAt, to: cursor)
        put("\",\"checksum\":")
        cursor += writeChecksum(top.checksum, to: cursor)
        // Through optional chaining: the top's text is read in place (binding it copied it, two
        // reference counts).
        cursor = top.levelText?.writeJSONLevels(at: cursor) ?? cursor
        cursor[0] = UInt8(ascii: "}")
        return cursor + 1 - begin
    }
}

extension LiveMessage {
    /// The checksum's digits at `start` (room for 10), two at a time from `DecimalDigits.pairs`
    /// (a division per digit cost ~9 instructions each, ~90 a checksum); returns how many.
    @inline(__always)
    static func writeChecksum(_ value: UInt32, to start: UnsafeMutablePointer<UInt8>) -> Int {
        let count = DecimalDigits.count(UInt64(value))
        let pairs = DecimalDigits.pairs.utf8Start
        var remaining = value
        var end = count
        while end >= 2 {
            let quotient = remaining / 100
            let pair = Int(remaining &- quotient &* 100) &* 2
            start[end - 2] = pairs[pair]
            start[end - 1] = pairs[pair &+ 1]
            remaining = quotient
            end -= 2
        }
        if end == 1 { start[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining) }
        return count
    }
}

extension VerifiedBookTop {
    /// Whether the outputs' JSON can copy this top's levels' fragments: the book rendered them
    /// with the text of exactly these levels (the same slots of its buffers; a top whose levels
    /// were cut or replaced after it was made says no, and its message is formatted from them).
    /// The recorder then formats no shared row text for it.
    public var carriesLevelJSON: Bool {
        levelText?.hasJSON(for: bids, asks) ?? false
    }
}

extension BookTopText {
    /// Whether these are the texts, with their JSON fragments, of exactly `bids` and `asks`.
    func hasJSON(for bids: ArraySlice<PriceLevel>, _ asks: ArraySlice<PriceLevel>) -> Bool {
        bidFragmentPlane > 0 && askFragmentPlane > 0
            && self.bids.startIndex == bids.startIndex && self.bids.endIndex == bids.endIndex
            && self.asks.startIndex == asks.startIndex && self.asks.endIndex == asks.endIndex
    }

    /// `,"bids":[…],"asks":[…]` from the levels' fragments at `cursor`; returns the end.
    @inline(__always)
    func writeJSONLevels(at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var cursor = start
        @inline(__always) func put(_ text: StaticString) {
            UnsafeMutableRawPointer(cursor).copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
            cursor += text.utf8CodeUnitCount
        }
        put(",\"bids\":")
        cursor = bids.withUnsafeBufferPointer { LevelJSONFragment.writeArray(of: $0, plane: bidFragmentPlane, at: cursor) }
        put(",\"asks\":")
        cursor = asks.withUnsafeBufferPointer { LevelJSONFragment.writeArray(of: $0, plane: askFragmentPlane, at: cursor) }
        return cursor
    }
}
