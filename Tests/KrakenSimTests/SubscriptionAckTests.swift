import KrakenSim
import Testing

/// One acknowledgement per symbol, shaped like Kraken's, and Kraken's error texts.
@Suite struct SubscriptionAckTests {
    static let time = "2026-11-21T12:00:00.000000Z"

    /// The responses (frames with a `method`) sent since the last call.
    func responses(_ harness: SimHarness, _ id: SimConnectionID) throws -> [String] {
        try harness.output.newFrames(to: id).filter { try RawJSON.parse($0)["method"] != nil }.map {
            try replacingTimeOut($0)
        }
    }

    @Test func bookSubscribeAcknowledgesEachSymbolAndRejectsUnknownPairs() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        harness.send(
            #"{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD","XBT/USD","ETH/BTC"],"depth":25},"req_id":7}"#,
            from: id)
        let time = Self.time
        #expect(
            try responses(harness, id) == [
                #"{"method":"subscribe","req_id":7,"result":{"channel":"book","depth":25,"snapshot":true,"symbol":"BTC/USD"},"success":true,"time_in":"\#(time)","time_out":"OUT"}"#,
                #"{"error":"Currency pair not supported XBT/USD","method":"subscribe","req_id":7,"success":false,"symbol":"XBT/USD","time_in":"\#(time)","time_out":"OUT"}"#,
                #"{"method":"subscribe","req_id":7,"result":{"channel":"book","depth":25,"snapshot":true,"symbol":"ETH/BTC"},"success":true,"time_in":"\#(time)","time_out":"OUT"}"#,
            ])
        let snapshots = try channelFrames(harness.output.frames(to: id), channel: "book")
        #expect(snapshots.compactMap { $0["data"]?.array?.first?["symbol"]?.string } == ["BTC/USD", "ETH/BTC"])
    }

    @Test func withoutReqIDTheAckHasNone() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        harness.send(#"{"method":"subscribe","params":{"channel":"book","symbol":["ETH/USD"]}}"#, from: id)
        #expect(
            try responses(harness, id) == [
                #"{"method":"subscribe","result":{"channel":"book","depth":10,"snapshot":true,"symbol":"ETH/USD"},"success":true,"time_in":"\#(Self.time)","time_out":"OUT"}"#
            ])
    }

    @Test func secondSubscriptionToABookIsAlreadySubscribed() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        harness.subscribeBook(["BTC/USD"], depth: 10, from: id)
        _ = harness.output.newFrames(to: id)
        harness.subscribeBook(["BTC/USD"], depth: 100, from: id, reqID: 3)
        #expect(
            try responses(harness, id) == [
                #"{"error":"Already subscribed","method":"subscribe","req_id":3,"success":false,"symbol":"BTC/USD","time_in":"\#(Self.time)","time_out":"OUT"}"#
            ])
    }

    @Test(arguments: ["20", "0", "10.5", "\"10\"", "true"])
    func unsupportedDepthIsRefused(depth: String) throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        _ = harness.output.newFrames(to: id)
        harness.send(
            #"{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":\#(depth)},"req_id":4}"#,
            from: id)
        #expect(
            try responses(harness, id) == [
                #"{"error":"Subscription depth not supported","method":"subscribe","req_id":4,"success":false,"symbol":"BTC/USD","time_in":"\#(Self.time)","time_out":"OUT"}"#
            ])
        #expect(try channelFrames(harness.output.frames(to: id), channel: "book").isEmpty)
    }

    @Test func unknownChannelMethodAndMalformedTextAreRefused() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        _ = harness.output.newFrames(to: id)
        harness.send(
            #"{"method":"subscribe","params":{"channel":"candles","symbol":["BTC/USD"]},"req_id":5}"#, from: id)
        harness.send(#"{"method":"teleport","req_id":6}"#, from: id)
        harness.send(#"{"method":"subscribe","params":{"channel":"book","symbol":"BTC/USD"},"req_id":9}"#, from: id)
        harness.send(#"{"method":"subscribe","#, from: id)
        let time = Self.time
        #expect(
            try responses(harness, id) == [
                #"{"error":"Subscription name invalid","method":"subscribe","req_id":5,"success":false,"time_in":"\#(time)","time_out":"OUT"}"#,
                #"{"error":"Method not found","method":"teleport","req_id":6,"success":false,"time_in":"\#(time)","time_out":"OUT"}"#,
                #"{"error":"Malformed request","method":"subscribe","req_id":9,"success":false,"time_in":"\#(time)","time_out":"OUT"}"#,
            ])
        // The truncated request gets an error without a method.
        let last = try RawJSON.parse(try #require(harness.output.frames(to: id).last))
        #expect(last["error"]?.string == "Malformed request")
        #expect(last["success"]?.bool == false)
    }

    @Test func unsubscribeAcknowledgesAndStopsTheData() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        harness.subscribeBook(["BTC/USD"], depth: 10, from: id)
        harness.subscribeTrades(["BTC/USD"], snapshot: false, from: id)
        harness.run(seconds: 0.5)
        _ = harness.output.newFrames(to: id)
        let time = "2026-11-21T12:00:00.500000Z"
        harness.send(
            #"{"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD","ETH/USD"]},"req_id":11}"#,
            from: id)
        harness.send(
            #"{"method":"unsubscribe","params":{"channel":"trade","symbol":["BTC/USD"]},"req_id":12}"#, from: id)
        #expect(
            try responses(harness, id) == [
                #"{"method":"unsubscribe","req_id":11,"result":{"channel":"book","depth":10,"snapshot":true,"symbol":"BTC/USD"},"success":true,"time_in":"\#(time)","time_out":"OUT"}"#,
                #"{"error":"Subscription Not Found","method":"unsubscribe","req_id":11,"success":false,"symbol":"ETH/USD","time_in":"\#(time)","time_out":"OUT"}"#,
                #"{"method":"unsubscribe","req_id":12,"result":{"channel":"trade","snapshot":false,"symbol":"BTC/USD"},"success":true,"time_in":"\#(time)","time_out":"OUT"}"#,
            ])
        harness.run(seconds: 0.5)
        let later = harness.output.newFrames(to: id)
        #expect(try channelFrames(later, channel: "book").isEmpty)
        #expect(try channelFrames(later, channel: "trade").isEmpty)
    }

    @Test func tradeSubscribeAcknowledgesWithSnapshotFalseByDefault() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        _ = harness.output.newFrames(to: id)
        harness.send(#"{"method":"subscribe","params":{"channel":"trade","symbol":["ARB/USD"]},"req_id":2}"#, from: id)
        #expect(
            try responses(harness, id) == [
                #"{"method":"subscribe","req_id":2,"result":{"channel":"trade","snapshot":false,"symbol":"ARB/USD"},"success":true,"time_in":"\#(Self.time)","time_out":"OUT"}"#
            ])
        #expect(try channelFrames(harness.output.frames(to: id), channel: "trade").isEmpty)
    }

    @Test func instrumentSnapshotListsEveryPairWithItsPrecisions() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        _ = harness.output.newFrames(to: id)
        harness.send(#"{"method":"subscribe","params":{"channel":"instrument"},"req_id":79}"#, from: id)
        let frames = harness.output.newFrames(to: id)
        #expect(frames.count == 2)
        #expect(
            try replacingTimeOut(frames[0])
                == #"{"method":"subscribe","req_id":79,"result":{"channel":"instrument","snapshot":true,"warnings":["tick_size is deprecated, use price_increment"]},"success":true,"time_in":"\#(Self.time)","time_out":"OUT"}"#
        )
        let snapshot = try RawJSON.parse(frames[1])
        #expect(snapshot["channel"]?.string == "instrument")
        #expect(snapshot["type"]?.string == "snapshot")
        let pairs = try #require(snapshot["data"]?["pairs"]?.array)
        let assets = try #require(snapshot["data"]?["assets"]?.array)
        #expect(Set(assets.compactMap { $0["id"]?.string }) == ["BTC", "USD", "ETH", "JPY", "ARB"])
        #expect(pairs.count == SimPair.catalog.count)
        for (listed, pair) in zip(pairs, SimPair.catalog) {
            #expect(listed["symbol"]?.string == pair.symbol)
            #expect(listed["status"]?.string == "online")
            #expect(listed["price_precision"]?.number == "\(pair.pricePrecision)")
            #expect(listed["qty_precision"]?.number == "\(pair.qtyPrecision)")
            #expect(
                listed["price_increment"]?.number.map { isPrinted($0, withFractionDigits: Int(pair.pricePrecision)) }
                    == true)
            #expect(
                listed["qty_increment"]?.number.map { isPrinted($0, withFractionDigits: Int(pair.qtyPrecision)) }
                    == true)
        }
    }
}
