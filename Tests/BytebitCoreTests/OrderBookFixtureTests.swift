import Testing

@testable import BytebitCore

/// Real Kraken data through decoder → book → checksum (fixtures and their sources: Fixtures/README.md).
@Suite struct OrderBookFixtureTests {
    /// Decodes a frame that must be a single-entry book message.
    private func bookMessage(_ frame: String, decoder: inout KrakenDecoder) throws -> KrakenBookMessage {
        guard case .book(let entries) = try decoder.decode(frame) else {
            Issue.record("not a book frame: \(frame.prefix(80))")
            throw KrakenDecodeError.notAKrakenMessage("test")
        }
        return try #require(entries.count == 1 ? entries.first : nil)
    }

    @Test func krakensWorkedExampleFromTheRawDocFrame() throws {
        var decoder = KrakenDecoder()
        let snapshot = try bookMessage(try KrakenFixture.docVector("doc_book_v2_btcusd"), decoder: &decoder)
        #expect(snapshot.isSnapshot)
        #expect(snapshot.symbol == "BTC/USD")
        #expect(snapshot.timestamp == nil)
        var book = OrderBook(depth: 10, pricePrecision: 1, qtyPrecision: 8)
        let result = book.ingest(snapshot)
        #expect(result.expected == 3_310_070_434)
        #expect(result.computed == 3_310_070_434)
        #expect(book.bids.first?.price.description == "45283.5")
        #expect(book.asks.first?.qty.description == "0.00100000")
    }

    @Test func maticReferenceNeedsPaddingToFourAndEightDigits() throws {
        var decoder = KrakenDecoder()
        let snapshot = try bookMessage(
            try KrakenFixture.docVector("doc_book_v2_maticusd_reference_snapshot"), decoder: &decoder)
        let update = try bookMessage(
            try KrakenFixture.docVector("doc_book_v2_maticusd_reference_update"), decoder: &decoder)
        var book = OrderBook(depth: 10, pricePrecision: 4, qtyPrecision: 8)
        #expect(book.ingest(snapshot) == .init(expected: 2_439_117_997, computed: 2_439_117_997))
        #expect(book.ingest(update) == .init(expected: 2_114_181_697, computed: 2_114_181_697))
        // The printed tokens as they are (no padding) give Kraken's documented wrong value.
        var unpadded = OrderBook(depth: 10, pricePrecision: 0, qtyPrecision: 0)
        #expect(unpadded.ingest(snapshot).computed == 3_830_085_102)
        #expect(book.bids.prefix(7).last?.price.description == "0.5660")
    }

    @Test func pythonSDKFeedMatchesAll510Checksums() throws {
        let messages = try KrakenFixture.pythonSDKMessages()
        var decoder = KrakenDecoder()
        var book = OrderBook(depth: 10, pricePrecision: 1, qtyPrecision: 8)
        var rawBook = OrderBook(depth: 10, pricePrecision: 0, qtyPrecision: 0)
        var matched = 0
        var matchedRaw = 0
        var mismatches: [Int] = []
        for (index, frame) in ([messages.snapshot] + messages.updates).enumerated() {
            guard case .book(let entries) = try decoder.decode(frame) else {
                Issue.record("message \(index) is not a book message")
                continue
            }
            #expect(entries.count == 1)
            for entry in entries {
                #expect(entry.isSnapshot == (index == 0))
                if book.ingest(entry).isMatch { matched += 1 } else { mismatches.append(index) }
                if rawBook.ingest(entry).isMatch { matchedRaw += 1 }
            }
            #expect(book.bids.count <= 10 && book.asks.count <= 10)
        }
        #expect(matched == 510, "mismatching messages: \(mismatches.prefix(10))")
        // Python lost the trailing zeros: the digits as stored in the file match nothing.
        #expect(matchedRaw == 0)
    }

    @Test func ethBTCLiveCaptureFromRawDigitsEvenWithAStalePrecision() throws {
        var decoder = KrakenDecoder()
        let snapshot = try bookMessage(try KrakenFixture.liveFrame("ethbtc_book_snapshot_depth10"), decoder: &decoder)
        let update = try bookMessage(try KrakenFixture.liveFrame("ethbtc_book_update_depth10"), decoder: &decoder)
        #expect(snapshot.timestamp?.description == "2026-08-26T15:16:16.637831Z")
        // The 2024 instrument said 5 price digits; Kraken now prints 6: longer text is kept as sent.
        var book = OrderBook(depth: 10, pricePrecision: 5, qtyPrecision: 8)
        #expect(book.ingest(snapshot) == .init(expected: 3_619_791_617, computed: 3_619_791_617))
        #expect(book.ingest(update) == .init(expected: 2_505_869_009, computed: 2_505_869_009))
        #expect(book.bids.count == 10)
        #expect(book.bids.last?.price.description == "0.031329")
        #expect(book.bids.contains { $0.price.description == "0.031340" })
    }
}
