import Testing

@testable import BytebitCore

/// The trades file's rows come from `TradeRowWriter` (in place, timestamps reusing their second's
/// text): byte for byte what `TradeCSV.appendRow` writes, for every kind of trade, in any order of
/// seconds (the cached text must follow each timestamp), with fields that need quotes and without.
@Suite struct TradeRowWriterTests {
    @Test func rowsEqualTradeCSVRowsWhateverTheTrade() throws {
        var random = SeededRandomNumberGenerator(seed: 7)
        var writer = TradeRowWriter()
        var written: [UInt8] = []
        var expected: [UInt8] = []
        let texts = ["buy", "sell", "limit", "market", "", "a,b", "say \"hi\"", "two\nlines", "cr\rlf", "ümlaut",
                     "a much longer order type than any small string holds"]
        let base = try #require(UTCTimestamp("2026-11-21T23:59:58.999998Z")).microseconds
        var previous = base
        for _ in 0..<2_000 {
            // Mostly the same second or the next (the cache's case), sometimes a jump back or ahead.
            let step = Int64.random(in: 0...3, using: &random) == 0
                ? Int64.random(in: -90_000_000...90_000_000, using: &random) : Int64.random(in: 0...400_000, using: &random)
            previous += step
            let timestamp = UTCTimestamp(microsecondsSince1970: previous)
            let receivedAt = UTCTimestamp(microsecondsSince1970: previous + Int64.random(in: 0...2_000_000, using: &random))
            let tradeID = [0, 1, UInt64.random(in: 0...10_000_000_000, using: &random), UInt64.max][Int.random(in: 0...3, using: &random)]
            let price = ExactDecimal(units: Int64.random(in: 0...99_999_999_999, using: &random), scale: Int8.random(in: 0...10, using: &random))
            let qty = ExactDecimal(units: Int64.random(in: 0...Int64.max, using: &random), scale: Int8.random(in: 0...18, using: &random))
            let side = texts[Int.random(in: 0..<texts.count, using: &random)]
            let orderType = texts[Int.random(in: 0..<texts.count, using: &random)]
            writer.appendRow(
                to: &written, timestamp: timestamp, receivedAt: receivedAt, tradeID: tradeID, side: side, price: price,
                qty: qty, orderType: orderType)
            TradeCSV.appendRow(
                to: &expected, timestamp: timestamp, receivedAt: receivedAt, tradeID: tradeID, side: side, price: price,
                qty: qty, orderType: orderType)
            #expect(written == expected, "\(String(decoding: expected.suffix(200), as: UTF8.self))")
            if written != expected { return }
        }
    }

    /// The batch's trades go through the writer: the file sink's rows are `TradeCSV`'s.
    @Test func aBatchWritesTradeCSVRows() throws {
        let time = try #require(UTCTimestamp("2026-11-21T12:00:00.123456Z"))
        var batch = RowBatch(orderBookLevels: 10)
        batch.appendTrade(
            timestamp: time, receivedAt: time, tradeID: 4_665_906, side: "buy",
            price: try #require(ExactDecimal("67321.1")), qty: try #require(ExactDecimal("0.00100000")), orderType: "market")
        #expect(String(decoding: batch.trades.bytes, as: UTF8.self)
            == "2026-11-21T12:00:00.123456Z,2026-11-21T12:00:00.123456Z,4665906,buy,67321.1,0.00100000,market\n")
        #expect(batch.trades.count == 1)
    }
}
