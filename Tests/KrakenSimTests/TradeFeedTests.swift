import BytebitCore
import KrakenSim
import Testing

/// The trade channel: a 50-trade snapshot on request, then updates with increasing ids.
@Suite struct TradeFeedTests {
    static let keys = ["symbol", "side", "price", "qty", "ord_type", "trade_id", "timestamp"]

    /// Checks shape and number format of every trade and returns them in order.
    func trades(in frame: RawJSON, pair: SimPair, sourceLocation: SourceLocation = #_sourceLocation) throws -> [RawJSON]
    {
        let items = try #require(frame["data"]?.array, sourceLocation: sourceLocation)
        for item in items {
            #expect(item.keys == Self.keys, sourceLocation: sourceLocation)
            #expect(item["symbol"]?.string == pair.symbol, sourceLocation: sourceLocation)
            #expect(["buy", "sell"].contains(item["side"]?.string ?? ""), sourceLocation: sourceLocation)
            #expect(["market", "limit"].contains(item["ord_type"]?.string ?? ""), sourceLocation: sourceLocation)
            #expect(
                isPrinted(item["price"]?.number ?? "", withFractionDigits: Int(pair.pricePrecision)),
                sourceLocation: sourceLocation)
            #expect(
                isPrinted(item["qty"]?.number ?? "", withFractionDigits: Int(pair.qtyPrecision)),
                sourceLocation: sourceLocation)
            #expect(item["timestamp"]?.string.flatMap { UTCTimestamp($0) } != nil, sourceLocation: sourceLocation)
        }
        return items
    }

    @Test(arguments: SimPair.catalog)
    func snapshotOfFiftyThenConsecutiveIncreasingIDs(pair: SimPair) throws {
        let harness = try SimHarness(SimOptions(seed: 3))
        let id = harness.open(1)
        harness.subscribeTrades([pair.symbol], snapshot: true, from: id)
        harness.run(seconds: 3)
        let frames = try channelFrames(harness.output.frames(to: id), channel: "trade")
        let snapshot = try #require(frames.first)
        #expect(snapshot["type"]?.string == "snapshot")
        let history = try trades(in: snapshot, pair: pair)
        #expect(history.count == 50)
        var ids = history.compactMap { $0["trade_id"]?.number.flatMap { Int64($0) } }
        let updates = frames.dropFirst()
        #expect(updates.count > 5)
        var largestBatch = 0
        for update in updates {
            #expect(update["type"]?.string == "update")
            let items = try trades(in: update, pair: pair)
            largestBatch = max(largestBatch, items.count)
            #expect(Set(items.compactMap { $0["timestamp"]?.string }).count == 1, "one step's trades share a timestamp")
            ids += items.compactMap { $0["trade_id"]?.number.flatMap { Int64($0) } }
        }
        #expect(ids == Array((ids.first ?? 0)..<((ids.first ?? 0) + Int64(ids.count))), "ids are consecutive")
        #expect(largestBatch > 1, "several trades can share one message")
        let sent = ids.count
        #expect(harness.truth.trades.count == sent)
        #expect(harness.truth.trades.map(\.tradeID) == ids)
    }

    @Test func noSnapshotWhenNotAskedFor() throws {
        let harness = try SimHarness(SimOptions(seed: 3))
        let id = harness.open(1)
        harness.subscribeTrades(["BTC/USD"], snapshot: false, from: id)
        harness.run(seconds: 2)
        let frames = try channelFrames(harness.output.frames(to: id), channel: "trade")
        #expect(!frames.isEmpty)
        #expect(frames.allSatisfy { $0["type"]?.string == "update" })
    }

    @Test func truthHoldsEachTradeOnceAcrossOverlappingSnapshots() throws {
        let harness = try SimHarness(SimOptions(seed: 9))
        let first = harness.open(1)
        harness.subscribeTrades(["ETH/USD"], snapshot: true, from: first)
        harness.run(seconds: 1)
        let second = harness.open(2)
        harness.subscribeTrades(["ETH/USD"], snapshot: true, from: second)
        harness.run(seconds: 1)
        let ids = harness.truth.trades.map(\.tradeID)
        #expect(Set(ids).count == ids.count)
        let sentToSecond = try channelFrames(harness.output.frames(to: second), channel: "trade")
            .flatMap { $0["data"]?.array ?? [] }.compactMap { $0["trade_id"]?.number.flatMap { Int64($0) } }
        #expect(Set(sentToSecond).isSubset(of: Set(ids)))
        let truth = try #require(harness.truth.trades.first)
        let first50 = try #require(
            try channelFrames(harness.output.frames(to: first), channel: "trade").first?["data"]?.array?.first)
        #expect(first50["trade_id"]?.number == "\(truth.tradeID)")
        #expect(first50["price"]?.number == truth.price.description)
        #expect(first50["qty"]?.number == truth.qty.description)
        #expect(first50["side"]?.string == truth.side)
        #expect(first50["timestamp"]?.string == truth.timestamp.description)
    }
}

extension SimPair: CustomTestStringConvertible {
    public var testDescription: String { symbol }
}
