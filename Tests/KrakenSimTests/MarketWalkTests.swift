import BytebitCore
import Testing

@testable import KrakenSim

/// The random walk stays a plausible market however long it runs.
@Suite struct MarketWalkTests {
    @Test(arguments: SimPair.catalog)
    func bookStaysUncrossedNarrowAndNearItsAnchor(pair: SimPair) throws {
        var market = SimMarket(pair: pair, seed: 99, historyEnd: UTCTimestamp(microsecondsSince1970: 0))
        var widest: Int64 = 0
        var farthest: Int64 = 0
        for step in 0..<20_000 {
            _ = market.step(at: UTCTimestamp(microsecondsSince1970: Int64(step)))
            let bid = try #require(market.bids.best?.price)
            let ask = try #require(market.asks.best?.price)
            #expect(bid < ask)
            widest = max(widest, ask - bid)
            farthest = max(farthest, abs((bid + ask) / 2 - pair.anchorPriceUnits))
            if step % 1000 == 0 {
                #expect(market.bids.count >= 1000 && market.asks.count >= 1000, "a depth-1000 window stays full")
            }
        }
        #expect(widest < 200 * pair.maxLevelGapUnits)
        #expect(farthest < pair.anchorPriceUnits / 10)
    }
}
