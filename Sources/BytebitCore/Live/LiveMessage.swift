/// The JSON messages of the live outputs (SPEC §9): what Redis subscribers and feed clients get,
/// one object per verified book row, trade or ledger row. Prices and quantities are JSON strings
/// of the file's exact text; the bytes are built by hand (no encoder, no floating point), so a
/// message says exactly what the file row says.
///
/// The `append…(to:)` forms write into a buffer the caller reuses (the Redis sink, once per
/// recorded row): no allocation and no string interpolation per message.
public enum LiveMessage {
    /// `{"type":"book","pair":…,"timestamp":…,"received_at":…,"checksum":…,"bids":[[p,q],…],"asks":[…]}`
    /// with the levels best first, as many as the order book file holds.
    public static func book(pair: String, _ top: VerifiedBookTop) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160 + 48 * (top.bids.count + top.asks.count))
        appendBook(pair: pair, top, to: &bytes)
        return bytes
    }

    /// `{"type":"trade","pair":…,"timestamp":…,"received_at":…,"trade_id":…,"side":…,"price":…,"qty":…,"ord_type":…}`
    public static func trade(pair: String, _ trade: TradeRecord) -> [UInt8] {
        var bytes: [UInt8] = []
        appendTrade(pair: pair, trade, to: &bytes)
        return bytes
    }

    /// `{"type":"event","pair":…,"timestamp":…,"event":…,"detail":…}`
    public static func event(pair: String, _ event: LedgerRecord) -> [UInt8] {
        var bytes: [UInt8] = []
        appendEvent(pair: pair, event, to: &bytes)
        return bytes
    }

    /// The book's message, from its levels' JSON fragments when the book rendered them, else from
    /// the row text the recorder formatted for every sink when it has one (`top.text`), else from a
    /// row formatted here.
    public static func appendBook(pair: String, _ top: VerifiedBookTop, to bytes: inout [UInt8]) {
        if top.carriesLevelJSON {
            var pair = pair
            let isWritten = pair.withUTF8 { pair -> Bool in
                guard isPlain(pair) else { return false }
                let room = bookRoom(fragmentsOf: top, pair: pair)
                let start = bytes.count
                makeRoom(room, in: &bytes)
                var times = BookTimesText()
                let written = bytes.withUnsafeMutableBufferPointer { buffer in
                    writeBook(fragmentsOf: top, pair: pair, times: &times, at: buffer.baseAddress.unsafelyUnwrapped + start)
                }
                bytes.removeLast(room - written)
                return true
            }
            if isWritten { return }
        }
        if let text = top.text { return appendBook(pair: pair, text, to: &bytes) }
        appendBook(pair: pair, BookRowText(top, levels: max(top.bids.count, top.asks.count)), to: &bytes)
    }

    /// The book's message with the number and time text copied out of its file row (`BookRowText`):
    /// the same bytes as formatting them again, at a fraction of the cost, and never other text
    /// than the row's.
    public static func appendBook(pair: String, _ text: BookRowText, to bytes: inout [UInt8]) {
        // The pair goes into the room with the rest when it needs no escaping (it never does).
        var pair = pair
        pair.withUTF8 { pair in
            if isPlain(pair) {
                writeBook(text, header: pair, to: &bytes)
            } else {
                appendHeader("{\"type\":\"book\",\"pair\":", pair: String(decoding: pair, as: UTF8.self), to: &bytes)
                writeBook(text, header: nil, to: &bytes)
            }
        }
    }

    /// The book's message after its header, or all of it with `header` (a plain pair name).
    private static func writeBook(_ text: BookRowText, header pair: UnsafeBufferPointer<UInt8>?, to bytes: inout [UInt8]) {
        let room = bookRoom(text, header: pair)
        let start = bytes.count
        makeRoom(room, in: &bytes)
        let written = bytes.withUnsafeMutableBufferPointer { buffer in
            writeBook(text, header: pair, at: buffer.baseAddress.unsafelyUnwrapped + start)
        }
        bytes.removeLast(room - written)
    }

    /// At most: the keys, both times and their closing quotes, the checksum's 10 digits, `}`; the
    /// levels' text (all in the row) and 8 bytes of punctuation each; 8 bytes of slack for the
    /// last eight-byte copy; the header with the pair's name.
    static func bookRoom(_ text: BookRowText, header pair: UnsafeBufferPointer<UInt8>?) -> Int {
        bookKeysLength + 2 * (UTCTimestamp.textLength + 1) + 10 + 1 + text.rowLength
            + 8 * text.spans.count + 4 + 8
            + (pair.map { bookHeader.utf8CodeUnitCount + $0.count + 1 } ?? 0)
    }

    /// Writes the message at `begin` (room for `bookRoom` bytes) and returns its length.
    static func writeBook(_ text: BookRowText, header pair: UnsafeBufferPointer<UInt8>?, at begin: UnsafeMutablePointer<UInt8>) -> Int {
        let bidSpans = text.bidSpans
        let askSpans = text.askSpans
        return text.storage.withUnsafeBufferPointer { storage -> Int in
                let rowBase = UnsafeRawPointer(storage.baseAddress.unsafelyUnwrapped)
                var cursor = begin
                func put(_ text: StaticString) {
                    UnsafeMutableRawPointer(cursor).copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
                    cursor += text.utf8CodeUnitCount
                }
                func put(_ byte: UInt8) {
                    cursor[0] = byte
                    cursor += 1
                }
                /// Row text, eight bytes at a time: it may read up to 7 bytes past the range (the
                /// row's padding) and write up to 7 past it (overwritten next, or the cut slack).
                func put(row range: Range<Int>) {
                    var offset = 0
                    while offset < range.count {
                        let word = rowBase.loadUnaligned(fromByteOffset: range.lowerBound + offset, as: UInt64.self)
                        UnsafeMutableRawPointer(cursor).storeBytes(of: word, toByteOffset: offset, as: UInt64.self)
                        offset += 8
                    }
                    cursor += range.count
                }
                /// `[["price","qty"],…]` (`writeLevels`).
                func put(_ spans: ArraySlice<LevelTextSpan>) {
                    cursor = spans.withUnsafeBufferPointer { writeLevels($0, row: rowBase, at: cursor) }
                }
                if let pair {
                    put(bookHeader)
                    if let base = pair.baseAddress { cursor.update(from: base, count: pair.count) }
                    cursor += pair.count
                    put(UInt8(ascii: "\""))
                }
                put(",\"timestamp\":\"")
                put(row: BookRowText.timestampRange)
                put(UInt8(ascii: "\""))
                put(",\"received_at\":\"")
                put(row: BookRowText.receivedAtRange)
                put(UInt8(ascii: "\""))
                put(",\"checksum\":")
                cursor += ExactDecimal(units: Int64(text.checksum), scale: 0).writeText(to: cursor)
                put(",\"bids\":")
                put(bidSpans)
                put(",\"asks\":")
                put(askSpans)
                put(UInt8(ascii: "}"))
                return cursor - begin
        }
    }

    /// `[["price","qty"],…]` of `spans` (price and quantity text in `row`) at `cursor`; returns
    /// the end. One flat loop with the cursor in a register: the punctuation between the numbers
    /// is stored a word at a time (`["`, `","`, `"]` as one store each) and each number as one or
    /// two words (the usual up to 16 bytes) with no inner loop. Like `put(row:)` it may read up to
    /// 7 bytes past a number (the row's padding) and write up to 7 past it (overwritten next, or
    /// the room's slack).
    @inline(__always)
    static func writeLevels(
        _ spans: UnsafeBufferPointer<LevelTextSpan>, row: UnsafeRawPointer, at start: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        var cursor = start
        guard !spans.isEmpty else {
            cursor[0] = UInt8(ascii: "[")
            cursor[1] = UInt8(ascii: "]")
            return cursor + 2
        }
        @inline(__always)
        func copyNumber(from begin: Int, count: Int, to target: UnsafeMutablePointer<UInt8>) {
            let from = row + begin
            let to = UnsafeMutableRawPointer(target)
            to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
            if count > 8 {
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
                var offset = 16
                while offset < count {
                    to.storeBytes(of: from.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
                    offset += 8
                }
            }
        }
        // `[["` (then `,["` between levels), `","`, `"]`, little-endian.
        var opening: UInt32 = 0x22_5B_5B  // [["
        for index in 0..<spans.count {
            let span = spans[index]
            let begin = Int(span.start)
            let comma = Int(span.comma)
            let priceCount = Int(span.end) - comma - 1
            let qtyCount = comma - begin
            UnsafeMutableRawPointer(cursor).storeBytes(of: opening, as: UInt32.self)
            opening = 0x22_5B_2C  // ,["
            copyNumber(from: comma + 1, count: priceCount, to: cursor + 3)
            cursor += 3 + priceCount
            UnsafeMutableRawPointer(cursor).storeBytes(of: UInt32(0x22_2C_22), as: UInt32.self)  // ","
            copyNumber(from: begin, count: qtyCount, to: cursor + 3)
            cursor += 3 + qtyCount
            UnsafeMutableRawPointer(cursor).storeBytes(of: UInt32(0x5D_22), as: UInt32.self)  // "]
            cursor += 2
        }
        cursor[0] = UInt8(ascii: "]")
        return cursor + 1
    }

    /// Zeros to make a message's room with.
    private static let zeros = [UInt8](repeating: 0, count: 4096)

    /// A book message up to its pair name's text.
    static let bookHeader: StaticString = "{\"type\":\"book\",\"pair\":\""

    /// The keys `appendBook(pair:_:to:)` writes after the pair (their total length is its room).
    static let bookKeysLength = ([
        ",\"timestamp\":\"", ",\"received_at\":\"", ",\"checksum\":", ",\"bids\":", ",\"asks\":",
    ] as [StaticString]).reduce(0) { $0 + $1.utf8CodeUnitCount }

    /// Written in place into room made at once (one zero copy, then pointer writes, like
    /// `appendBook`): appending its dozen pieces one by one cost the Redis and feed sinks ~4k
    /// instructions a trade. Text that needs JSON escaping takes the piecewise path.
    public static func appendTrade(pair: String, _ trade: TradeRecord, to bytes: inout [UInt8]) {
        var pair = pair
        var side = trade.side
        var orderType = trade.orderType
        let isWritten = pair.withUTF8 { pair in
            side.withUTF8 { side in
                orderType.withUTF8 { orderType in
                    guard isPlain(pair), isPlain(side), isPlain(orderType) else { return false }
                    writeTrade(trade, pair: pair, side: side, orderType: orderType, to: &bytes)
                    return true
                }
            }
        }
        if !isWritten { appendTradePiecewise(pair: pair, trade, to: &bytes) }
    }

    private static func writeTrade(
        _ trade: TradeRecord, pair: UnsafeBufferPointer<UInt8>, side: UnsafeBufferPointer<UInt8>,
        orderType: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]
    ) {
        let room = tradeRoom(trade, pair: pair, side: side, orderType: orderType)
        let start = bytes.count
        makeRoom(room, in: &bytes)
        let written = bytes.withUnsafeMutableBufferPointer { buffer in
            var times = TimestampTextCache()
            return writeTrade(
                trade, pair: pair, side: side, orderType: orderType, times: &times, at: buffer.baseAddress.unsafelyUnwrapped + start)
        }
        bytes.removeLast(room - written)
    }

    static func tradeRoom(
        _ trade: TradeRecord, pair: UnsafeBufferPointer<UInt8>, side: UnsafeBufferPointer<UInt8>,
        orderType: UnsafeBufferPointer<UInt8>
    ) -> Int {
        tradeKeysLength + pair.count + side.count + orderType.count + 2 * UTCTimestamp.textLength + 20
            + trade.price.maximumTextLength + trade.qty.maximumTextLength
    }

    /// Writes the message at `begin` (room for `tradeRoom` bytes) and returns its length; `times`
    /// keeps the text of the last second (a shared message's lasts from trade to trade).
    static func writeTrade(
        _ trade: TradeRecord, pair: UnsafeBufferPointer<UInt8>, side: UnsafeBufferPointer<UInt8>,
        orderType: UnsafeBufferPointer<UInt8>, times: inout TimestampTextCache, at begin: UnsafeMutablePointer<UInt8>
    ) -> Int {
            var cursor = begin
            func put(_ text: StaticString) {
                UnsafeMutableRawPointer(cursor).copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
                cursor += text.utf8CodeUnitCount
            }
            func put(_ text: UnsafeBufferPointer<UInt8>) {
                if let base = text.baseAddress { cursor.update(from: base, count: text.count) }
                cursor += text.count
            }
            put("{\"type\":\"trade\",\"pair\":\"")
            put(pair)
            put("\",\"timestamp\":\"")
            cursor += times.write(trade.timestamp, to: cursor)
            put("\",\"received_at\":\"")
            cursor += times.write(trade.receivedAt, to: cursor)
            put("\",\"trade_id\":")
            cursor += DecimalDigits.write(trade.tradeID, to: cursor)
            put(",\"side\":\"")
            put(side)
            put("\",\"price\":\"")
            cursor += trade.price.writeText(to: cursor)
            put("\",\"qty\":\"")
            cursor += trade.qty.writeText(to: cursor)
            put("\",\"ord_type\":\"")
            put(orderType)
            put("\"}")
            return cursor - begin
    }

    /// The keys and punctuation `writeTrade` writes around its values.
    private static let tradeKeysLength = ([
        "{\"type\":\"trade\",\"pair\":\"", "\",\"timestamp\":\"", "\",\"received_at\":\"", "\",\"trade_id\":",
        ",\"side\":\"", "\",\"price\":\"", "\",\"qty\":\"", "\",\"ord_type\":\"", "\"}",
    ] as [StaticString]).reduce(0) { $0 + $1.utf8CodeUnitCount }

    /// Whether the text goes into a JSON string as it is (what `appendString` checks).
    static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    /// Room at the end of `bytes`, made by copying zeros (one memcpy, not one append per byte).
    private static func makeRoom(_ room: Int, in bytes: inout [UInt8]) {
        if room <= zeros.count { bytes.append(contentsOf: zeros[..<room]) } else { bytes.append(contentsOf: repeatElement(0, count: room)) }
    }

    /// The trade with text that needs escaping, piece by piece.
    static func appendTradePiecewise(pair: String, _ trade: TradeRecord, to bytes: inout [UInt8]) {
        appendHeader("{\"type\":\"trade\",\"pair\":", pair: pair, to: &bytes)
        appendTimestamp(",\"timestamp\":\"", trade.timestamp, to: &bytes)
        appendTimestamp(",\"received_at\":\"", trade.receivedAt, to: &bytes)
        append(",\"trade_id\":", to: &bytes)
        bytes.append(contentsOf: String(trade.tradeID).utf8)
        append(",\"side\":", to: &bytes)
        appendString(trade.side, to: &bytes)
        append(",\"price\":", to: &bytes)
        appendQuoted(trade.price, to: &bytes)
        append(",\"qty\":", to: &bytes)
        appendQuoted(trade.qty, to: &bytes)
        append(",\"ord_type\":", to: &bytes)
        appendString(trade.orderType, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    public static func appendEvent(pair: String, _ event: LedgerRecord, to bytes: inout [UInt8]) {
        appendHeader("{\"type\":\"event\",\"pair\":", pair: pair, to: &bytes)
        appendTimestamp(",\"timestamp\":\"", event.timestamp, to: &bytes)
        append(",\"event\":", to: &bytes)
        appendString(event.event.name, to: &bytes)
        append(",\"detail\":", to: &bytes)
        appendString(event.detail, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    /// `{"type":"kline","pair":…,"interval":"1m","interval_begin":…,"open":…,"high":…,"low":…,"close":…,`
    /// `"volume":…,"vwap":…,"trades":12,"complete":true}`; an unknown volume or vwap is `null`.
    public static func kline(pair: String, _ kline: KlineRecord) -> [UInt8] {
        var bytes: [UInt8] = []
        appendKline(pair: pair, kline, to: &bytes)
        return bytes
    }

    public static func appendKline(pair: String, _ kline: KlineRecord, to bytes: inout [UInt8]) {
        appendHeader("{\"type\":\"kline\",\"pair\":", pair: pair, to: &bytes)
        append(",\"interval\":", to: &bytes)
        appendString(kline.interval.rawValue, to: &bytes)
        appendTimestamp(",\"interval_begin\":\"", kline.intervalBegin, to: &bytes)
        append(",\"open\":", to: &bytes)
        appendQuoted(kline.open, to: &bytes)
        append(",\"high\":", to: &bytes)
        appendQuoted(kline.high, to: &bytes)
        append(",\"low\":", to: &bytes)
        appendQuoted(kline.low, to: &bytes)
        append(",\"close\":", to: &bytes)
        appendQuoted(kline.close, to: &bytes)
        append(",\"volume\":", to: &bytes)
        appendOptional(kline.volume, to: &bytes)
        append(",\"vwap\":", to: &bytes)
        appendOptional(kline.vwap, to: &bytes)
        append(",\"trades\":", to: &bytes)
        bytes.append(contentsOf: String(kline.trades).utf8)
        append(kline.complete ? ",\"complete\":true}" : ",\"complete\":false}", to: &bytes)
    }

    // MARK: - Pieces

    private static func append(_ text: StaticString, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private static func appendHeader(_ opening: StaticString, pair: String, to bytes: inout [UInt8]) {
        append(opening, to: &bytes)
        appendString(pair, to: &bytes)
    }

    /// A JSON string literal: as it is when nothing needs escaping (pair names, sides, event names).
    private static func appendString(_ text: String, to bytes: inout [UInt8]) {
        // Over the string's own UTF-8 buffer: iterating a `String.UTF8View` costs a call per byte.
        var text = text
        text.withUTF8 { utf8 in
            if utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
                bytes.append(UInt8(ascii: "\""))
                bytes.append(contentsOf: utf8)
                bytes.append(UInt8(ascii: "\""))
            } else {
                bytes.append(contentsOf: JSONString.quoted(String(decoding: utf8, as: UTF8.self)).utf8)
            }
        }
    }

    private static func appendTimestamp(_ key: StaticString, _ timestamp: UTCTimestamp, to bytes: inout [UInt8]) {
        append(key, to: &bytes)
        timestamp.appendText(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    private static func appendOptional(_ value: WideDecimal?, to bytes: inout [UInt8]) {
        guard let value else { return append("null", to: &bytes) }
        bytes.append(UInt8(ascii: "\""))
        value.appendText(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    private static func appendQuoted(_ value: ExactDecimal, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        value.appendText(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }
}
