import Testing

@testable import BytebitCore

/// With the files as its only sink, the recorder writes each book row straight from the book
/// (`RowBatch.appendOrderBook(timestamp:receivedAt:levels:of:)`, no `VerifiedBookTop` built). Its
/// bytes must be the row `OrderBookCSV` formats from the same levels, whatever the book went through.
@Suite struct OrderBookInPlaceRowTests {
    private static func formattedRow(
        _ book: OrderBook, levels: Int, rowLevels: Int, timestamp: UTCTimestamp, receivedAt: UTCTimestamp
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        OrderBookCSV.appendRow(
            to: &bytes, timestamp: timestamp, receivedAt: receivedAt, bids: book.bids.prefix(levels),
            asks: book.asks.prefix(levels), levels: rowLevels)
        return bytes
    }

    /// Random changes (top and deep, deletes, scale and precision changes, snapshots, empty sides),
    /// rows taken only sometimes so changes pile up between renders; the checksum asked as the
    /// recorder does before every row.
    @Test(arguments: [(3, 3), (10, 10), (25, 10), (25, 25), (1000, 25), (40, 1)])
    func rowsFromTheBookEqualFormattedRows(depth: Int, levels: Int) {
        var generator = SeededRandomNumberGenerator(seed: UInt64(depth * 17 + levels))
        var book = OrderBook(depth: depth, pricePrecision: 1, qtyPrecision: 8)
        var batch = RowBatch(orderBookLevels: levels)
        var rows = 0
        var mismatches = 0
        var time = UTCTimestamp(microsecondsSince1970: 1_795_000_000_000_000)
        for step in 0..<3000 {
            book.applyRandomChange(step: step, using: &generator)
            _ = book.checksum
            guard generator.next() % 3 != 0 else { continue }
            time.microseconds += [Int64(1), 999_999, 1_000_000, 86_400_000_000 * 40][Int(generator.next() % 4)]
            let receivedAt = UTCTimestamp(microsecondsSince1970: time.microseconds + 4321)
            let expected = Self.formattedRow(book, levels: levels, rowLevels: levels, timestamp: time, receivedAt: receivedAt)
            let before = batch.orderBook.bytes.count
            batch.appendOrderBook(timestamp: time, receivedAt: receivedAt, levels: levels, of: &book)
            rows += 1
            if Array(batch.orderBook.bytes[before...]) != expected { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(rows > 1000 && batch.orderBook.count == rows)
        #expect(batch.byteCount == batch.orderBook.bytes.count)
    }

    /// A number too long for a level's text is formatted from the levels: the same bytes.
    @Test func levelsTooLongForTheirTextAreFormatted() {
        var book = OrderBook(depth: 10, pricePrecision: 1, qtyPrecision: 8)
        book.replace(
            bids: [PriceLevel(price: ExactDecimal(units: 50_000, scale: 1), qty: ExactDecimal(units: 123, scale: 30))],
            asks: [PriceLevel(price: ExactDecimal(units: 50_010, scale: 1), qty: ExactDecimal(units: 5, scale: 8))])
        let (time, receivedAt) = (UTCTimestamp(microsecondsSince1970: 0), UTCTimestamp(microsecondsSince1970: 5))
        var batch = RowBatch(orderBookLevels: 10)
        batch.appendOrderBook(timestamp: time, receivedAt: receivedAt, levels: 10, of: &book)
        #expect(batch.orderBook.bytes == Self.formattedRow(book, levels: 10, rowLevels: 10, timestamp: time, receivedAt: receivedAt))
        #expect(String(decoding: batch.orderBook.bytes, as: UTF8.self).contains("0.000000000000000000000000000123,5000.0"))
    }

    /// Fewer levels than the batch's rows print: those levels, then empty cells (as a top of that
    /// many levels gives), never text rendered for fewer levels standing in for more.
    @Test func fewerLevelsThanTheRowPrints() {
        var book = OrderBook(depth: 10, pricePrecision: 1, qtyPrecision: 8)
        let asks = (0..<6).map { PriceLevel(price: ExactDecimal(units: Int64(100 + $0), scale: 1), qty: ExactDecimal(units: 7, scale: 8)) }
        book.replace(bids: asks.map { PriceLevel(price: ExactDecimal(units: 200 - $0.price.units, scale: 1), qty: $0.qty) }, asks: asks)
        let (time, receivedAt) = (UTCTimestamp(microsecondsSince1970: 0), UTCTimestamp(microsecondsSince1970: 5))
        var batch = RowBatch(orderBookLevels: 5)
        batch.appendOrderBook(timestamp: time, receivedAt: receivedAt, levels: 2, of: &book)
        let expected = Self.formattedRow(book, levels: 2, rowLevels: 5, timestamp: time, receivedAt: receivedAt)
        #expect(batch.orderBook.bytes == expected)
        var viaTop = RowBatch(orderBookLevels: 5)
        viaTop.appendOrderBook(VerifiedBookTop(timestamp: time, receivedAt: receivedAt, levels: 2, of: &book, checksum: 1))
        #expect(viaTop.orderBook.bytes == expected)
    }
}
