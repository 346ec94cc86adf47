import BytebitCore
import KrakenSim
import Testing

/// One subscribe request with hundreds of symbols, as a collector carrying a group sends it.
@Suite struct ManySymbolsTests {
    static func universe() throws -> [SimPair] { try InstrumentFixture.pairs() }

    @Test func eachSymbolGetsItsAckThenItsSnapshotAndUnknownOnesTheirError() throws {
        let pairs = try Self.universe()
        let harness = try SimHarness(SimOptions(pairs: pairs))
        let id = harness.open(1)
        _ = harness.output.newFrames(to: id)
        var symbols = pairs.map(\.symbol).filter { $0 != "ETH2.S/ETH" }.prefix(300).map { $0 }
        symbols.insert("NOPE/USD", at: 150)
        symbols.append("ETH2.S/ETH")
        harness.subscribeBook(symbols, depth: 10, from: id, reqID: 42)
        let frames = try harness.output.newFrames(to: id).map { try RawJSON.parse($0) }
        try #require(frames.count == 2 * symbols.count - 1)
        var index = 0
        for symbol in symbols {
            let ack = frames[index]
            #expect(ack["req_id"]?.number == "42")
            if symbol == "NOPE/USD" {
                #expect(ack["success"]?.bool == false)
                #expect(ack["error"]?.string == "Currency pair not supported NOPE/USD")
                #expect(ack["symbol"]?.string == symbol)
                index += 1
                continue
            }
            #expect(ack["success"]?.bool == true, "\(symbol)")
            #expect(ack["result"]?["symbol"]?.string == symbol)
            let snapshot = frames[index + 1]
            #expect(snapshot["type"]?.string == "snapshot")
            #expect(snapshot["data"]?.array?.first?["symbol"]?.string == symbol)
            index += 2
        }
    }

    @Test func unsubscribingManySymbolsAcksEachAndErrsOnTheUnknown() throws {
        let pairs = try Self.universe()
        let harness = try SimHarness(SimOptions(pairs: pairs))
        let id = harness.open(1)
        let symbols = pairs.prefix(250).map(\.symbol)
        harness.subscribeBook(symbols, depth: 10, from: id)
        _ = harness.output.newFrames(to: id)
        let list = (symbols + ["NOPE/USD"]).map { "\"\($0)\"" }.joined(separator: ",")
        harness.send(#"{"method":"unsubscribe","params":{"channel":"book","symbol":[\#(list)]},"req_id":9}"#, from: id)
        let acks = try harness.output.newFrames(to: id).map { try RawJSON.parse($0) }
        #expect(acks.count == symbols.count + 1)
        #expect(acks.prefix(symbols.count).allSatisfy { $0["success"]?.bool == true })
        #expect(acks.prefix(symbols.count).map { $0["result"]?["symbol"]?.string } == symbols)
        #expect(acks.last?["error"]?.string == "Subscription Not Found")
        #expect(acks.last?["symbol"]?.string == "NOPE/USD")
        #expect(harness.exchange.stats.bookSubscriptions == 0)
        harness.run(seconds: 2)
        #expect(try channelFrames(harness.output.newFrames(to: id), channel: "book").isEmpty)
    }
}
