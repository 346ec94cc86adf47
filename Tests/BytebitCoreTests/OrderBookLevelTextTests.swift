import CZlib
import Testing

@testable import BytebitCore

/// Book rows are copied from each level's text, rendered once when the level changed and moved with
/// it (`LevelText`), and timestamps reuse their second's text (`TimestampTextCache`). Whatever the
/// book went through, the row must be byte for byte the one formatted from the levels.
@Suite struct OrderBookLevelTextTests {
    /// The row `OrderBookCSV` formats from the levels: the reference.
    private static func formattedRow(_ top: VerifiedBookTop, levels: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        OrderBookCSV.appendRow(
            to: &bytes, timestamp: top.timestamp, receivedAt: top.receivedAt, bids: top.bids, asks: top.asks,
            levels: levels)
        return bytes
    }

    /// Random changes (clustered at the top, sometimes deep, deletes, scale changes, precision
    /// changes, snapshots, empty sides); rows are taken only sometimes, so several messages'
    /// changes pile up between renders.
    @Test(arguments: [(3, 3), (10, 10), (25, 10), (25, 25), (1000, 25), (40, 1)])
    func copiedRowsEqualFormattedRows(depth: Int, levels: Int) {
        var generator = SeededRandomNumberGenerator(seed: UInt64(depth * 31 + levels))
        var book = OrderBook(depth: depth, pricePrecision: 1, qtyPrecision: 8)
        var batch = RowBatch(orderBookLevels: levels)
        var shared = BookRowText()
        var plain = BookRowText()
        var rows = 0
        var copiedRows = 0
        var mismatches = 0
        var time = UTCTimestamp(microsecondsSince1970: 1_795_000_000_000_000)
        for step in 0..<3000 {
            book.applyRandomChange(step: step, using: &generator)
            guard generator.next() % 3 != 0 else { continue }
            // Same second, next second, a jump of days: the timestamp text must follow.
            time.microseconds += [Int64(1), 999_999, 1_000_000, 86_400_000_000 * 40][Int(generator.next() % 4)]
            let top = VerifiedBookTop(
                timestamp: time, receivedAt: UTCTimestamp(microsecondsSince1970: time.microseconds + 4321), levels: levels,
                of: &book, checksum: 7)
            if top.levelText != nil { copiedRows += 1 }
            let expected = Self.formattedRow(top, levels: levels)
            let before = batch.orderBook.bytes.count
            batch.appendOrderBook(top)
            rows += 1
            if Array(batch.orderBook.bytes[before...]) != expected { mismatches += 1 }
            // The outputs' shared row and its level marks, from the level text and from the levels.
            shared.format(top, levels: levels)
            var withoutText = top
            withoutText.levelText = nil
            plain.format(withoutText, levels: levels)
            if shared.row != expected || shared.spans != plain.spans || shared.bidCount != plain.bidCount {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        #expect(copiedRows == rows && rows > 1000)
        #expect(batch.orderBook.count == rows)
    }

    /// A number too long for a level's text (beyond 19 fraction digits) makes the row fall back to
    /// formatting from the levels: still the same bytes.
    @Test func levelsTooLongForTheirTextAreFormatted() {
        var book = OrderBook(depth: 10, pricePrecision: 1, qtyPrecision: 8)
        let long = ExactDecimal(units: 123, scale: 30)
        book.replace(
            bids: [PriceLevel(price: ExactDecimal(units: 50_000, scale: 1), qty: long)],
            asks: [PriceLevel(price: ExactDecimal(units: 50_010, scale: 1), qty: ExactDecimal(units: 5, scale: 8))])
        let top = VerifiedBookTop(
            timestamp: UTCTimestamp(microsecondsSince1970: 0), receivedAt: UTCTimestamp(microsecondsSince1970: 5),
            levels: 10, of: &book, checksum: 1)
        #expect(top.levelText == nil)
        var batch = RowBatch(orderBookLevels: 10)
        batch.appendOrderBook(top)
        #expect(batch.orderBook.bytes == Self.formattedRow(top, levels: 10))
        #expect(String(decoding: batch.orderBook.bytes, as: UTF8.self).contains("0.000000000000000000000000000123,5000.0"))
    }

    /// Text made for fewer levels than a row prints is not used for it.
    @Test func textForFewerLevelsIsNotUsedForMore() {
        var book = OrderBook(depth: 10, pricePrecision: 1, qtyPrecision: 8)
        let levels = (0..<6).map { PriceLevel(price: ExactDecimal(units: Int64(100 + $0), scale: 1), qty: ExactDecimal(units: 7, scale: 8)) }
        book.replace(bids: levels.map { PriceLevel(price: ExactDecimal(units: 200 - $0.price.units, scale: 1), qty: $0.qty) }, asks: levels)
        var top = VerifiedBookTop(
            timestamp: UTCTimestamp(microsecondsSince1970: 0), receivedAt: UTCTimestamp(microsecondsSince1970: 5),
            levels: 2, of: &book, checksum: 1)
        top.bids = book.bids.prefix(5)
        top.asks = book.asks.prefix(5)
        var batch = RowBatch(orderBookLevels: 5)
        batch.appendOrderBook(top)
        #expect(batch.orderBook.bytes == Self.formattedRow(top, levels: 5))
    }

    /// The cached timestamp text equals the full text at every step: same second, second and day
    /// boundaries, before 1970.
    @Test func timestampTextCacheEqualsTheFullText() {
        var cache = TimestampTextCache()
        var generator = SeededRandomNumberGenerator(seed: 3)
        var micros: Int64 = -86_400_000_000 * 3 - 17
        var mismatches = 0
        var cached = [UInt8](repeating: 0, count: UTCTimestamp.textLength)
        for _ in 0..<20_000 {
            micros += [Int64(1), 7, 999_999, 1_000_000, 3_600_000_000][Int(generator.next() % 5)]
            let timestamp = UTCTimestamp(microsecondsSince1970: micros)
            let length = cached.withUnsafeMutableBufferPointer { cache.write(timestamp, to: $0.baseAddress!) }
            if length != UTCTimestamp.textLength || String(decoding: cached, as: UTF8.self) != timestamp.description {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        #expect(micros > 0)
    }
}

/// The book's own CRC-32 (slicing-by-8) against zlib's, the reference of `BookChecksum.compute`.
@Suite struct CRC32Tests {
    @Test func equalsZlibForEveryLengthAndSeed() {
        var generator = SeededRandomNumberGenerator(seed: 5)
        let bytes = (0..<300).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        var mismatches = 0
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for start in 0..<9 {
                for count in 0...(300 - start - 9) where count % 7 == 0 || count < 20 {
                    let seed = UInt32(truncatingIfNeeded: generator.next())
                    let ours = CRC32.update(seed, base + start, count: count)
                    let zlib = UInt32(truncatingIfNeeded: crc32(UInt(seed), base + start, UInt32(count)))
                    if ours != zlib { mismatches += 1 }
                }
            }
        }
        #expect(mismatches == 0)
        // The check value of the CRC-32 catalogue: "123456789" → 0xCBF43926.
        let check = Array("123456789".utf8).withUnsafeBufferPointer { CRC32.update(0, $0.baseAddress!, count: 9) }
        #expect(check == 0xCBF4_3926)
    }
}
