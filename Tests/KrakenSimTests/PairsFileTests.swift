import BytebitCore
import Foundation
import KrakenSim
import Testing

/// `--pairs-file`: the pair universe from Kraken's instrument snapshot, with Zipf-skewed rates.
@Suite struct PairsFileTests {
    @Test func everyOnlinePairIsListedWithItsPrecisionsFromTheFile() throws {
        let pairs = try InstrumentFixture.pairs()
        let expected = try InstrumentFixture.onlinePrecisions()
        #expect(pairs.count == expected.count)
        #expect(pairs.count == 672)
        for pair in pairs {
            let precisions = try #require(expected[pair.symbol], "\(pair.symbol) is not an online pair of the file")
            #expect(Int(pair.pricePrecision) == precisions.0, "\(pair.symbol)")
            #expect(Int(pair.qtyPrecision) == precisions.1, "\(pair.symbol)")
            #expect(pair.symbol == "\(pair.base)/\(pair.quote)")
            #expect(pair.anchorPriceUnits >= 10_000)
        }
        #expect(pairs.contains { $0.symbol == "ETH2.S/ETH" })
    }

    @Test func ratesAreSharesOfTheTotalSkewedLikeAnExchange() throws {
        let shares = try InstrumentFixture.pairs().map(\.relativeRate).sorted(by: >)
        #expect(abs(shares.reduce(0, +) - 1) < 1e-9)
        // Zipf: the busiest pair carries ~1/H(672) ≈ 14%, the top 10% of pairs more than half.
        #expect(shares[0] > 0.1)
        #expect(shares.prefix(67).reduce(0, +) > 0.5)
        #expect(shares[0] / (shares.last ?? 1) > 500)
    }

    @Test func theSameSeedGivesTheSameUniverseAnotherSeedAnother() throws {
        let one = try InstrumentFixture.pairs(seed: 7)
        #expect(try InstrumentFixture.pairs(seed: 7) == one)
        let other = try InstrumentFixture.pairs(seed: 8)
        #expect(other.map(\.symbol) == one.map(\.symbol))
        #expect(other != one)
    }

    @Test func aFileThatIsNotASnapshotIsAClearError() throws {
        let bad = Data(#"{"channel":"book","data":[]}"#.utf8)
        #expect(throws: SimError.pairsFile(path: "x.json", reason: "is not an instrument snapshot with data.pairs")) {
            try SimPair.parseInstrumentSnapshot(bad, path: "x.json", seed: 1)
        }
        #expect(throws: SimError.self) { try SimPair.loadInstrumentFile("/nonexistent/pairs.json", seed: 1) }
        let noOnline = Data(#"{"data":{"pairs":[{"symbol":"A/B","status":"delisted"}]}}"#.utf8)
        #expect(throws: SimError.pairsFile(path: "y", reason: "lists no online pair")) {
            try SimPair.parseInstrumentSnapshot(noOnline, path: "y", seed: 1)
        }
    }

    /// `--rate` with a pairs file is the total: 672 pairs at 570 steps/s give ~570 book messages/s,
    /// the busy pairs most of them.
    @Test func theRateIsTheTotalOverAllPairs() throws {
        let pairs = try InstrumentFixture.pairs()
        let harness = try SimHarness(SimOptions(pace: .messagesPerSecond(570), pairs: pairs))
        let id = harness.open(1)
        let symbols = pairs.map(\.symbol)
        for (index, start) in stride(from: 0, to: symbols.count, by: 200).enumerated() {
            harness.subscribeBook(Array(symbols[start..<min(start + 200, symbols.count)]), depth: 10, from: id,
                reqID: index + 1)
        }
        _ = harness.output.newFrames(to: id)
        harness.run(seconds: 20)
        let books = try channelFrames(harness.output.newFrames(to: id), channel: "book")
        var perSymbol: [String: Int] = [:]
        for frame in books {
            perSymbol[frame["data"]?.array?.first?["symbol"]?.string ?? "", default: 0] += 1
        }
        let perSecond = Double(books.count) / 20
        // A step that leaves the depth-10 window unchanged sends nothing, so a little under the rate.
        #expect(perSecond > 570 * 0.7 && perSecond <= 570 * 1.01, "\(perSecond) book messages/s")
        let busiest = try #require(pairs.max { $0.relativeRate < $1.relativeRate })
        let quietest = try #require(pairs.min { $0.relativeRate < $1.relativeRate })
        #expect(perSymbol[busiest.symbol, default: 0] > 20 * 570 / 10)
        #expect(perSymbol[quietest.symbol, default: 0] < 10)
    }
}
