import Testing

@testable import BytebitCore

@Suite struct OrderBookTests {
    private func level(_ price: String, _ qty: String) throws -> PriceLevel {
        PriceLevel(price: try #require(ExactDecimal(price)), qty: try #require(ExactDecimal(qty)))
    }

    private func prices(_ levels: ArraySlice<PriceLevel>) -> [String] {
        levels.map(\.price.description)
    }

    /// A depth-3 book with bids 10.3/10.2/10.1 and asks 10.5/10.6/10.7 (precision 1/2).
    private func threeByThree() throws -> OrderBook {
        var book = OrderBook(depth: 3, pricePrecision: 1, qtyPrecision: 2)
        // Snapshot levels deliberately out of order: the book sorts.
        book.replace(
            bids: [try level("10.1", "1.00"), try level("10.3", "3.00"), try level("10.2", "2.00")],
            asks: [try level("10.7", "7.00"), try level("10.5", "5.00"), try level("10.6", "6.00")])
        return book
    }

    @Test func snapshotIsSortedBestFirst() throws {
        let book = try threeByThree()
        #expect(prices(book.bids) == ["10.3", "10.2", "10.1"])
        #expect(prices(book.asks) == ["10.5", "10.6", "10.7"])
    }

    @Test func replaceNeverMerges() throws {
        var book = try threeByThree()
        book.replace(bids: [try level("9.0", "1.00")], asks: [])
        #expect(prices(book.bids) == ["9.0"])
        #expect(book.asks.isEmpty)
    }

    @Test func updateSetsQuantityInsteadOfAdding() throws {
        var book = try threeByThree()
        book.apply(bids: [try level("10.2", "0.50")], asks: [])
        #expect(book.bids.map(\.qty.description) == ["3.00", "0.50", "1.00"])
    }

    @Test func deleteThenRepublishRefillsTheWindow() throws {
        var book = try threeByThree()
        // Kraken deletes 10.5 and re-publishes the next ask beyond the window.
        book.apply(bids: [], asks: [try level("10.5", "0"), try level("10.8", "8.00")])
        #expect(prices(book.asks) == ["10.6", "10.7", "10.8"])
    }

    @Test func insertPushesTheWorstLevelOutOfTheWindow() throws {
        var book = try threeByThree()
        book.apply(bids: [try level("10.4", "4.00")], asks: [try level("10.55", "1.00")])
        #expect(prices(book.bids) == ["10.4", "10.3", "10.2"])
        #expect(prices(book.asks) == ["10.5", "10.55", "10.6"])
    }

    @Test func truncationHappensOnceAfterTheWholeMessage() throws {
        var book = try threeByThree()
        // Insert pushes 10.1 to 4th place, then a delete makes room again: 10.1 survives because the
        // window is cut only after the message (Kraken's doc wording).
        book.apply(bids: [try level("10.25", "1.00"), try level("10.3", "0")], asks: [])
        #expect(prices(book.bids) == ["10.25", "10.2", "10.1"])
    }

    @Test func samePriceTwiceInOneMessageLastWins() throws {
        var book = try threeByThree()
        book.apply(bids: [try level("10.2", "5.00"), try level("10.2", "6.00")], asks: [])
        #expect(book.bids.map(\.qty.description) == ["3.00", "6.00", "1.00"])
        book.apply(bids: [try level("10.0", "1.00"), try level("10.0", "0")], asks: [])
        #expect(prices(book.bids) == ["10.3", "10.2", "10.1"])
    }

    @Test func deleteOfAnUnknownPriceIsIgnored() throws {
        var book = try threeByThree()
        let before = book.checksum
        book.apply(bids: [try level("9.9", "0")], asks: [try level("11.0", "0")])
        #expect(prices(book.bids) == ["10.3", "10.2", "10.1"])
        #expect(prices(book.asks) == ["10.5", "10.6", "10.7"])
        #expect(book.checksum == before)
    }

    @Test func shortTextIsPaddedLongerTextKeptAsSent() throws {
        var book = OrderBook(depth: 10, pricePrecision: 2, qtyPrecision: 4)
        book.apply(bids: [try level("5.1", "2"), try level("5.005", "0.123456")], asks: [])
        #expect(book.bids.map(\.price.description) == ["5.10", "5.005"])
        #expect(book.bids.map(\.qty.description) == ["2.0000", "0.123456"])
        // The checksum digits are those printed: 510 20000 5005 123456.
        let expected = BookChecksum.compute(
            asks: [PriceLevel](), bids: [try level("5.10", "2.0000"), try level("5.005", "0.123456")],
            pricePrecision: 0, qtyPrecision: 0)
        #expect(book.checksum == expected)
    }

    @Test func precisionChangePadsStoredLevels() throws {
        var book = OrderBook(depth: 10, pricePrecision: 1, qtyPrecision: 2)
        book.apply(bids: [try level("5.1", "2.00")], asks: [try level("5.2", "1.00")])
        book.updatePrecision(price: 3, qty: 2)
        #expect(book.pricePrecision == 3)
        #expect(book.bids.first?.price.description == "5.100")
        #expect(book.asks.first?.price.description == "5.200")
        #expect(book.bids.first?.qty.description == "2.00")
    }

    @Test func removeAllEmptiesBothSides() throws {
        var book = try threeByThree()
        book.removeAll()
        #expect(book.isEmpty)
        #expect(
            book.checksum
                == BookChecksum.compute(asks: [PriceLevel](), bids: [PriceLevel](), pricePrecision: 1, qtyPrecision: 2))
    }

    @Test func ingestReportsExpectedAndComputed() throws {
        var book = OrderBook(depth: 10, pricePrecision: 1, qtyPrecision: 8)
        let message = KrakenBookMessage(
            isSnapshot: true, symbol: "X/Y", bids: [try level("1.0", "1.00000000")],
            asks: [], checksum: 7, timestamp: nil)
        let result = book.ingest(message)
        #expect(result.expected == 7)
        #expect(!result.isMatch)
        #expect(result.computed == book.checksum)
    }

    /// Random changes at depth 1000 against a simple reference (a sorted dictionary rebuild).
    @Test(arguments: [10, 25, 1000])
    func matchesAReferenceBookUnderRandomChanges(depth: Int) throws {
        var generator = SeededRandomNumberGenerator(seed: UInt64(depth))
        var book = OrderBook(depth: depth, pricePrecision: 1, qtyPrecision: 8)
        var referenceBids: [Int64: Int64] = [:]
        var referenceAsks: [Int64: Int64] = [:]
        func randomLevel(_ isBid: Bool) -> PriceLevel {
            // Cluster near the top of the book, sometimes far away.
            let distance = generator.next() % 4 == 0 ? Int64(generator.next() % 3000) : Int64(generator.next() % 40)
            let price = isBid ? 100_000 - distance : 100_001 + distance
            let qty = generator.next() % 3 == 0 ? 0 : Int64(generator.next() % 1_000_000)
            return PriceLevel(price: ExactDecimal(units: price, scale: 1), qty: ExactDecimal(units: qty, scale: 8))
        }
        for _ in 0..<2000 {
            var bids: [PriceLevel] = []
            var asks: [PriceLevel] = []
            for _ in 0..<Int(generator.next() % 6) { bids.append(randomLevel(true)) }
            for _ in 0..<Int(generator.next() % 6) { asks.append(randomLevel(false)) }
            book.apply(bids: bids, asks: asks)
            for level in bids {
                if level.qty.isZero {
                    referenceBids[level.price.units] = nil
                } else {
                    referenceBids[level.price.units] = level.qty.units
                }
            }
            for level in asks {
                if level.qty.isZero {
                    referenceAsks[level.price.units] = nil
                } else {
                    referenceAsks[level.price.units] = level.qty.units
                }
            }
            let sortedBids = referenceBids.keys.sorted(by: >)
            let sortedAsks = referenceAsks.keys.sorted()
            for price in sortedBids.dropFirst(depth) { referenceBids[price] = nil }
            for price in sortedAsks.dropFirst(depth) { referenceAsks[price] = nil }
            let keptBids = sortedBids.prefix(depth)
            let keptAsks = sortedAsks.prefix(depth)
            guard book.bids.map(\.price.units) == Array(keptBids), book.asks.map(\.price.units) == Array(keptAsks)
            else {
                Issue.record("book diverged from the reference at depth \(depth)")
                return
            }
        }
        #expect(book.bids.map(\.qty.units) == referenceBids.keys.sorted(by: >).compactMap { referenceBids[$0] })
    }
}


@Suite struct OrderBookDriftTests {
    /// New best bids arrive for ever (each pushing the worst out): the levels drift towards the
    /// front of the buffer, which must re-centre without losing or reordering levels.
    @Test func endlessNewBestLevelsKeepTheWindowRight() {
        var book = OrderBook(depth: 5, pricePrecision: 0, qtyPrecision: 0)
        for price in Int64(1)...500 {
            book.apply(
                bids: [PriceLevel(price: ExactDecimal(units: price, scale: 0), qty: ExactDecimal(units: 1, scale: 0))],
                asks: [
                    PriceLevel(
                        price: ExactDecimal(units: 10_000 - price, scale: 0), qty: ExactDecimal(units: 1, scale: 0))
                ])
        }
        #expect(book.bids.map(\.price.units) == [500, 499, 498, 497, 496])
        #expect(book.asks.map(\.price.units) == [9500, 9501, 9502, 9503, 9504])
    }

    /// The best level is deleted and the next one re-published at the back, over and over.
    @Test func endlessDeleteAndRepublishKeepsTheWindowRight() {
        var book = OrderBook(depth: 5, pricePrecision: 0, qtyPrecision: 0)
        let one = ExactDecimal(units: 1, scale: 0)
        let zero = ExactDecimal(units: 0, scale: 0)
        book.replace(
            bids: (0..<5).map { PriceLevel(price: ExactDecimal(units: 1000 - $0, scale: 0), qty: one) }, asks: [])
        for step in Int64(0)..<500 {
            book.apply(
                bids: [
                    PriceLevel(price: ExactDecimal(units: 1000 - step, scale: 0), qty: zero),
                    PriceLevel(price: ExactDecimal(units: 1000 - step - 5, scale: 0), qty: one),
                ], asks: [])
        }
        #expect(book.bids.map(\.price.units) == [500, 499, 498, 497, 496])
    }
}

@Suite struct OrderBookDepthTests {
    @Test(arguments: [Int.min, -1, 0, 1, Int.max])
    func anyDepthIsSafe(depth: Int) {
        var book = OrderBook(depth: depth, pricePrecision: 0, qtyPrecision: 0)
        let levels = (1...40).map {
            PriceLevel(price: ExactDecimal(units: Int64($0), scale: 0), qty: ExactDecimal(units: 1, scale: 0))
        }
        book.apply(bids: levels, asks: levels)
        #expect(book.bids.count == min(max(depth, 1), 40))
        #expect(book.bids.first?.price.units == 40)
        #expect(book.asks.first?.price.units == 1)
    }
}

@Suite struct OrderBookChecksumCacheTests {
    /// The book re-renders only the levels that changed; it must always agree with a full render.
    @Test(arguments: [3, 10, 25, 1000])
    func cachedChecksumAlwaysEqualsAFullRender(depth: Int) {
        var generator = SeededRandomNumberGenerator(seed: UInt64(depth) &* 7)
        var book = OrderBook(depth: depth, pricePrecision: 1, qtyPrecision: 8)
        var mismatches = 0
        for step in 0..<3000 {
            let bids = generator.randomBookLevels(spread: 60)
            let asks = generator.randomBookLevels(spread: 60)
            switch step % 500 {
            case 0: book.replace(bids: bids, asks: asks)
            case 250: book.updatePrecision(price: book.pricePrecision == 1 ? 3 : 1, qty: 8)
            case 400: book.removeAll()
            default: book.apply(bids: bids, asks: asks)
            }
            // Read it only sometimes, so several messages' changes pile up between renders.
            guard generator.next() % 3 != 0 else { continue }
            let cached = book.checksum
            let full = BookChecksum.compute(
                asks: book.asks, bids: book.bids, pricePrecision: book.pricePrecision, qtyPrecision: book.qtyPrecision)
            if cached != full { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}
