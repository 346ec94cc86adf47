import BytebitCore
import KrakenSim
import Testing

/// Live changes: a blip, a pair listed and a pair delisted while clients are subscribed.
@Suite struct LiveControlTests {
    @Test func aBlipResetsEveryConnectionAtOnce() throws {
        let harness = try SimHarness()
        let ids = (1...5).map { harness.open(UInt64($0)) }
        harness.subscribeBook(["BTC/USD"], depth: 10, from: ids[0])
        #expect(harness.exchange.dropAllConnections() == 5)
        #expect(ids.allSatisfy { harness.output.wasDropped($0) })
        #expect(harness.exchange.stats.openConnections == 0)
        let count = harness.output.frames(to: ids[0]).count
        harness.run(seconds: 1)
        #expect(harness.output.frames(to: ids[0]).count == count)
    }

    @Test func aListedPairIsAnnouncedToInstrumentSubscribersAndTrades() throws {
        let harness = try SimHarness()
        let watcher = harness.open(1)
        let other = harness.open(2)
        harness.send(#"{"method":"subscribe","params":{"channel":"instrument"},"req_id":1}"#, from: watcher)
        _ = harness.output.newFrames(to: watcher)
        _ = harness.output.newFrames(to: other)
        let listed = try #require(harness.exchange.list(symbol: "NEW.X/USD", pricePrecision: 3, qtyPrecision: 6))
        #expect(harness.exchange.list(symbol: "NEW.X/USD") == nil, "listed twice")
        let update = try RawJSON.parse(try #require(harness.output.newFrames(to: watcher).first))
        #expect(update["channel"]?.string == "instrument")
        #expect(update["type"]?.string == "update")
        let pair = try #require(update["data"]?["pairs"]?.array?.first)
        #expect(pair["symbol"]?.string == "NEW.X/USD")
        #expect(pair["status"]?.string == "online")
        #expect(pair["price_precision"]?.number == "3")
        #expect(pair["qty_precision"]?.number == "6")
        #expect(harness.output.newFrames(to: other).isEmpty)
        #expect(harness.exchange.pairs.contains(listed))
        harness.subscribeBook(["NEW.X/USD"], depth: 10, from: other)
        harness.run(seconds: 2)
        let books = try channelFrames(harness.output.newFrames(to: other), channel: "book")
        #expect(books.first?["type"]?.string == "snapshot")
        #expect(books.count > 10, "the new pair moves")
    }

    @Test func aDelistedPairIsAnnouncedAndItsDataStops() throws {
        let harness = try SimHarness()
        let watcher = harness.open(1)
        let subscriber = harness.open(2)
        harness.send(#"{"method":"subscribe","params":{"channel":"instrument"},"req_id":1}"#, from: watcher)
        harness.subscribeBook(["ETH/USD", "BTC/USD"], depth: 10, from: subscriber)
        harness.run(seconds: 1)
        _ = harness.output.newFrames(to: watcher)
        _ = harness.output.newFrames(to: subscriber)
        #expect(harness.exchange.delist(symbol: "ETH/USD"))
        #expect(!harness.exchange.delist(symbol: "ETH/USD"))
        let update = try RawJSON.parse(try #require(harness.output.newFrames(to: watcher).first))
        #expect(update["type"]?.string == "update")
        #expect(update["data"]?["pairs"]?.array?.first?["symbol"]?.string == "ETH/USD")
        #expect(update["data"]?["pairs"]?.array?.first?["status"]?.string == "delisted")
        harness.run(seconds: 2)
        let symbols = try channelFrames(harness.output.newFrames(to: subscriber), channel: "book").map {
            $0["data"]?.array?.first?["symbol"]?.string
        }
        #expect(!symbols.isEmpty)
        #expect(!symbols.contains("ETH/USD"))
        #expect(!harness.exchange.pairs.map(\.symbol).contains("ETH/USD"))
        let late = harness.open(3)
        _ = harness.output.newFrames(to: late)
        harness.subscribeBook(["ETH/USD"], depth: 10, from: late)
        let ack = try RawJSON.parse(try #require(harness.output.newFrames(to: late).first))
        #expect(ack["error"]?.string == "Currency pair not supported ETH/USD")
    }

    @Test func statsCountSubscriptions() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        harness.subscribeBook(["BTC/USD", "ETH/USD"], depth: 10, from: id)
        harness.subscribeTrades(["BTC/USD"], snapshot: false, from: id)
        let stats = harness.exchange.stats
        #expect(stats.bookSubscriptions == 2)
        #expect(stats.tradeSubscriptions == 1)
        #expect(stats.instrumentSubscriptions == 0)
        #expect(stats.listedPairs == SimPair.catalog.count)
        #expect(stats.json.contains(#""book_subscriptions":2"#))
    }
}
