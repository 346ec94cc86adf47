/// The `book` channel: each `data` entry becomes a `KrakenBookMessage` whose level arrays are
/// recycled from the previous frame when the caller no longer holds it.
extension KrakenDecoder {
    /// Each entry is read into the decoder's own entry at its index (its level arrays emptied and
    /// refilled in place): removing last frame's entries and appending new ones cost ~300
    /// instructions per book message (the removal's generic path, three retains and releases;
    /// issue 10, callgrind). The caller has let go of the previous message by now, so the arrays
    /// are unique again and keep their capacity.
    mutating func parseBookData(_ scanner: inout JSONScanner) throws(KrakenDecodeError) {
        try scanner.beginArray(key: "data")
        var count = 0
        var isFirst = true
        while try scanner.nextElement(isFirst: &isFirst) {
            if count == books.count {
                books.append(KrakenBookMessage(isSnapshot: false, symbol: "", bids: [], asks: [], checksum: 0, timestamp: nil))
            }
            try Self.parseBookEntry(
                &scanner, into: &books[count], symbols: &bookSymbol, timestamps: &timestampCache)
            count += 1
        }
        // Entries beyond this frame's go (an earlier frame had more). A frame that fails part way
        // throws before this: its entries are never handed out, and the next book frame rewrites them.
        if books.count > count { books.removeLast(books.count - count) }
    }

    /// One `data` entry into `entry` (every field set, or an error). Static, with the decoder's
    /// caches passed in: the entry is part of the decoder too, and the accesses must not overlap.
    private static func parseBookEntry(
        _ scanner: inout JSONScanner, into entry: inout KrakenBookMessage, symbols: inout SymbolCache,
        timestamps: inout TimestampMinuteCache
    ) throws(KrakenDecodeError) {
        if !entry.bids.isEmpty { entry.bids.removeAll(keepingCapacity: true) }
        if !entry.asks.isEmpty { entry.asks.removeAll(keepingCapacity: true) }
        var symbol: String?
        var checksum: UInt32?
        var timestamp: UTCTimestamp?
        try scanner.beginObject(key: "data")
        var isFirstKey = true
        // Kraken's order without whitespace (`symbol`, `bids`, `asks`, `checksum`, `timestamp`),
        // each key matched as one literal; the general loop below takes whatever else comes.
        if scanner.skipLiteral(Self.symbolKey) {
            isFirstKey = false
            symbol = try symbols.read(&scanner)
            if scanner.skipLiteral(Self.bidsKey) {
                try scanner.readLevels(into: &entry.bids, key: "bids")
                if scanner.skipLiteral(Self.asksKey) {
                    try scanner.readLevels(into: &entry.asks, key: "asks")
                    if scanner.skipLiteral(Self.checksumKey) {
                        checksum = try Self.readChecksum(&scanner)
                        if scanner.skipLiteral(Self.timestampKey) {
                            timestamp = try scanner.readTimestamp(key: "timestamp", cache: &timestamps)
                        }
                    }
                }
            }
        }
        while let key = try scanner.nextKey(isFirst: &isFirstKey) {
            if scanner.matches(key, "bids") {
                try scanner.readLevels(into: &entry.bids, key: "bids")
            } else if scanner.matches(key, "asks") {
                try scanner.readLevels(into: &entry.asks, key: "asks")
            } else if scanner.matches(key, "checksum") {
                checksum = try Self.readChecksum(&scanner)
            } else if scanner.matches(key, "symbol") {
                symbol = try symbols.read(&scanner)
            } else if scanner.matches(key, "timestamp") {
                timestamp = try scanner.readTimestamp(key: "timestamp", cache: &timestamps)
            } else {
                try scanner.skipValue()
            }
        }
        guard let symbol else { throw .missingField("symbol", in: "book entry") }
        guard let checksum else { throw .missingField("checksum", in: "book entry") }
        entry.isSnapshot = false
        entry.symbol = symbol
        entry.checksum = checksum
        entry.timestamp = timestamp
    }
}

extension KrakenDecoder {
    static var symbolKey: StaticString { "\"symbol\":" }
    static var bidsKey: StaticString { ",\"bids\":" }
    static var asksKey: StaticString { ",\"asks\":" }
    static var checksumKey: StaticString { ",\"checksum\":" }
    static var timestampKey: StaticString { ",\"timestamp\":" }

    static func readChecksum(_ scanner: inout JSONScanner) throws(KrakenDecodeError) -> UInt32 {
        let start = scanner.offset
        let value = try scanner.readUInt64(key: "checksum")
        guard let narrow = UInt32(exactly: value) else { throw .numberOutOfRange(key: "checksum", offset: start) }
        return narrow
    }
}

extension JSONScanner {
    /// Reads `[{"price":…,"qty":…}, …]`, appending in wire order.
    mutating func readLevels(into levels: inout [PriceLevel], key: StaticString) throws(KrakenDecodeError) {
        try beginArray(key: key)
        var isFirst = true
        while try nextElement(isFirst: &isFirst) {
            var price: ExactDecimal?
            var qty: ExactDecimal?
            // Kraken's own layout, `{"price":…,"qty":…}` without spaces, read without scanning
            // keys; anything else (other order, spaces, more fields) takes the general path below.
            if skipLiteral(Self.priceKey) {
                let number = try readDecimal(key: "price")
                if skipLiteral(Self.qtyKey) {
                    let quantity = try readDecimal(key: "qty")
                    if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
                        offset += 1
                        try levels.append(Self.level(price: number, qty: quantity, key: key))
                        continue
                    }
                    qty = quantity
                }
                price = number
                // Continue the object where the fast path stopped (after a value: `,` or `}` next).
                var isFirstKey = false
                while let field = try nextKey(isFirst: &isFirstKey) {
                    try readLevelField(field, price: &price, qty: &qty)
                }
                guard let price else { throw .missingField("price", in: "\(key) level") }
                guard let qty else { throw .missingField("qty", in: "\(key) level") }
                try levels.append(Self.level(price: price, qty: qty, key: key))
                continue
            }
            try beginObject(key: key)
            var isFirstKey = true
            while let field = try nextKey(isFirst: &isFirstKey) {
                try readLevelField(field, price: &price, qty: &qty)
            }
            guard let price else { throw .missingField("price", in: "\(key) level") }
            guard let qty else { throw .missingField("qty", in: "\(key) level") }
            try levels.append(Self.level(price: price, qty: qty, key: key))
        }
    }

    private static var priceKey: StaticString { "{\"price\":" }
    private static var qtyKey: StaticString { ",\"qty\":" }

    private mutating func readLevelField(
        _ field: RawString, price: inout ExactDecimal?, qty: inout ExactDecimal?
    ) throws(KrakenDecodeError) {
        if matches(field, "price") {
            price = try readDecimal(key: "price")
        } else if matches(field, "qty") {
            qty = try readDecimal(key: "qty")
        } else {
            try skipValue()
        }
    }

    private static func level(price: ExactDecimal, qty: ExactDecimal, key: StaticString) throws(KrakenDecodeError)
        -> PriceLevel
    {
        guard qty.units >= 0, price.units >= 0 else {
            throw .invalidValue(key: key.description, value: "negative \(price) × \(qty)")
        }
        return PriceLevel(price: price, qty: qty)
    }

}

/// A decoded symbol and its bytes: the next entry naming the same pair reuses the `String`.
struct SymbolCache: Sendable {
    private var bytes: [UInt8] = []
    private var text = ""

    /// The symbol string at the scanner's offset, consumed: the cached `String` when its bytes are
    /// the cached ones (checked in place first, `readRepeated`), else scanned and kept.
    @inline(__always)
    mutating func read(_ scanner: inout JSONScanner) throws(KrakenDecodeError) -> String {
        if let repeated = readRepeated(&scanner) { return repeated }
        return string(for: try scanner.readRawString(key: "symbol"), in: scanner)
    }

    /// The cached symbol when the string at the scanner's offset is exactly it (its quote, its
    /// bytes, its closing quote), consumed: no scan and no second compare (a scan and a compare
    /// were ~250 instructions per entry; issue 10). Nil, with nothing consumed, otherwise. The
    /// cached bytes came from a string without escapes, so they hold no quote or backslash: the
    /// quote after them closes the string.
    @inline(__always)
    private mutating func readRepeated(_ scanner: inout JSONScanner) -> String? {
        let count = bytes.count
        let start = scanner.offset
        guard count > 0, start + count + 2 <= scanner.bytes.count,
              scanner.bytes[start] == UInt8(ascii: "\""), scanner.bytes[start + count + 1] == UInt8(ascii: "\""),
              isCached(at: start + 1, in: scanner)
        else { return nil }
        scanner.offset = start + count + 2
        return text
    }

    private mutating func string(for raw: JSONScanner.RawString, in scanner: JSONScanner) -> String {
        let count = raw.end - raw.start
        if !raw.hasEscapes, count == bytes.count, count > 0, isCached(at: raw.start, in: scanner) { return text }
        let decoded = scanner.string(raw)
        if !raw.hasEscapes {
            bytes = Array(UnsafeRawBufferPointer(rebasing: scanner.bytes[raw.start..<raw.end]))
            text = decoded
        }
        return decoded
    }

    /// Whether the frame's bytes from `offset` are the cached ones (the caller checked that they
    /// fit): eight bytes at a time, then the rest.
    @inline(__always)
    private func isCached(at offset: Int, in scanner: JSONScanner) -> Bool {
        let count = bytes.count
        return bytes.withUnsafeBytes { cached -> Bool in
            guard let cachedBase = cached.baseAddress, let frameBase = scanner.bytes.baseAddress else { return false }
            let frame = frameBase + offset
            var index = 0
            while index + 8 <= count {
                guard cachedBase.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    == frame.loadUnaligned(fromByteOffset: index, as: UInt64.self) else { return false }
                index += 8
            }
            while index < count {
                guard cachedBase.load(fromByteOffset: index, as: UInt8.self)
                    == frame.load(fromByteOffset: index, as: UInt8.self) else { return false }
                index += 1
            }
            return true
        }
    }
}
