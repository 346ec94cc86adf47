/// The `book` channel: each `data` entry becomes a `KrakenBookMessage` whose level arrays are
/// recycled from the previous frame when the caller no longer holds it.
extension KrakenDecoder {
    mutating func parseBookData(_ scanner: inout JSONScanner) throws(KrakenDecodeError) {
        // Release last frame's entries first so their level buffers become unique and reusable.
        books.removeAll(keepingCapacity: true)
        try scanner.beginArray(key: "data")
        var isFirst = true
        while try scanner.nextElement(isFirst: &isFirst) {
            bidLevels.removeAll(keepingCapacity: true)
            askLevels.removeAll(keepingCapacity: true)
            var symbol: String?
            var checksum: UInt32?
            var timestamp: UTCTimestamp?
            try scanner.beginObject(key: "data")
            var isFirstKey = true
            while let key = try scanner.nextKey(isFirst: &isFirstKey) {
                if scanner.matches(key, "bids") {
                    try scanner.readLevels(into: &bidLevels, key: "bids")
                } else if scanner.matches(key, "asks") {
                    try scanner.readLevels(into: &askLevels, key: "asks")
                } else if scanner.matches(key, "checksum") {
                    let start = scanner.offset
                    let value = try scanner.readUInt64(key: "checksum")
                    guard let narrow = UInt32(exactly: value) else {
                        throw .numberOutOfRange(key: "checksum", offset: start)
                    }
                    checksum = narrow
                } else if scanner.matches(key, "symbol") {
                    symbol = try scanner.readString(key: "symbol")
                } else if scanner.matches(key, "timestamp") {
                    timestamp = try scanner.readTimestamp(key: "timestamp")
                } else {
                    try scanner.skipValue()
                }
            }
            guard let symbol else { throw .missingField("symbol", in: "book entry") }
            guard let checksum else { throw .missingField("checksum", in: "book entry") }
            books.append(
                KrakenBookMessage(
                    isSnapshot: false, symbol: symbol, bids: bidLevels, asks: askLevels, checksum: checksum,
                    timestamp: timestamp))
        }
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
            try beginObject(key: key)
            var isFirstKey = true
            while let field = try nextKey(isFirst: &isFirstKey) {
                if matches(field, "price") {
                    price = try readDecimal(key: "price")
                } else if matches(field, "qty") {
                    qty = try readDecimal(key: "qty")
                } else {
                    try skipValue()
                }
            }
            guard let price else { throw .missingField("price", in: "\(key) level") }
            guard let qty else { throw .missingField("qty", in: "\(key) level") }
            guard qty.units >= 0, price.units >= 0 else {
                throw .invalidValue(key: key.description, value: "negative \(price) × \(qty)")
            }
            levels.append(PriceLevel(price: price, qty: qty))
        }
    }

}
