import BytebitCore
import KrakenSim
import Testing

/// The ohlc channel: the simulator's own candles, computed from its own trades by SPEC §10, in
/// Kraken's shape, and recorded in the truth when a later trade closes them.
@Suite struct OHLCFeedTests {
    static let itemKeys = [
        "symbol", "open", "high", "low", "close", "trades", "volume", "vwap", "interval_begin", "interval", "timestamp",
    ]

    /// A candle computed here, independently of the simulator, from its trade truth.
    struct Candle: Equatable {
        var begin: UTCTimestamp
        var open = "", high = "", low = "", close = "", volume = "", vwap = ""
        var trades = 0
    }

    /// SPEC §10 from the exact trade texts: open first, close last, high/low, Σqty, vwap half-even at
    /// price precision + 4, count.
    static func candles(of trades: [SimTradeTruth], minutes: Int, pair: SimPair) -> [Candle] {
        let length = Int64(minutes) * 60_000_000
        var groups: [(UTCTimestamp, [SimTradeTruth])] = []
        for trade in trades {
            let begin = UTCTimestamp(microsecondsSince1970: trade.timestamp.microseconds / length * length)
            if groups.last?.0 == begin { groups[groups.count - 1].1.append(trade) } else { groups.append((begin, [trade])) }
        }
        return groups.map { begin, group in
            let prices = group.map(\.price)
            var volume: Int64 = 0
            var weighted: Int128 = 0
            for trade in group {
                volume += trade.qty.units
                weighted += Int128(trade.price.units) * Int128(trade.qty.units)
            }
            let numerator = weighted * 10_000
            var vwap = numerator / Int128(volume)
            let twice = numerator % Int128(volume) * 2
            if twice > Int128(volume) || (twice == Int128(volume) && vwap % 2 == 1) { vwap += 1 }
            return Candle(
                begin: begin, open: "\(prices[0])", high: "\(prices.max() ?? prices[0])",
                low: "\(prices.min() ?? prices[0])", close: "\(prices[prices.count - 1])",
                volume: "\(ExactDecimal(units: volume, scale: pair.qtyPrecision))",
                vwap: "\(ExactDecimal(units: Int64(vwap), scale: pair.pricePrecision + 4))", trades: group.count)
        }
    }

    static func candle(_ truth: SimCandleTruth) -> Candle {
        Candle(
            begin: truth.intervalBegin, open: "\(truth.open)", high: "\(truth.high)", low: "\(truth.low)",
            close: "\(truth.close)", volume: "\(truth.volume)", vwap: "\(truth.vwap)", trades: truth.trades)
    }

    static func candle(_ item: RawJSON) -> Candle? {
        guard let begin = item["interval_begin"]?.string.flatMap({ UTCTimestamp($0) }),
            let trades = item["trades"]?.number.flatMap({ Int($0) })
        else { return nil }
        return Candle(
            begin: begin, open: item["open"]?.number ?? "", high: item["high"]?.number ?? "",
            low: item["low"]?.number ?? "", close: item["close"]?.number ?? "", volume: item["volume"]?.number ?? "",
            vwap: item["vwap"]?.number ?? "", trades: trades)
    }

    func subscribeOHLC(_ harness: SimHarness, _ symbol: String, interval: Int, from id: SimConnectionID, reqID: Int) {
        harness.send(
            #"{"method":"subscribe","params":{"channel":"ohlc","symbol":["\#(symbol)"],"interval":\#(interval),"snapshot":true},"req_id":\#(reqID)}"#,
            from: id)
    }

    @Test(arguments: [1, 5])
    func truthCandlesEqualTheCandlesOfItsTrades(minutes: Int) throws {
        let pair = SimPair.catalog[0]
        let harness = try SimHarness(SimOptions(seed: 5, pace: .messagesPerSecond(40)))
        let id = harness.open(1)
        harness.subscribeTrades([pair.symbol], snapshot: true, from: id)
        subscribeOHLC(harness, pair.symbol, interval: minutes, from: id, reqID: 7)
        harness.run(seconds: Double(minutes) * 60 * 3.5)
        let trades = harness.truth.trades.filter { $0.symbol == pair.symbol }
        var expected = Self.candles(of: trades, minutes: minutes, pair: pair)
        expected.removeLast()  // still open: not in the truth
        let truth = harness.truth.candles.filter { $0.symbol == pair.symbol && $0.intervalMinutes == minutes }
        #expect(expected.count >= 3)
        #expect(truth.map(Self.candle) == expected)

        // The last update the client got for each interval is that candle, as the truth has it.
        let frames = try channelFrames(harness.output.frames(to: id), channel: "ohlc")
        var lastSent: [UTCTimestamp: Candle] = [:]
        for frame in frames {
            for item in frame["data"]?.array ?? [] {
                #expect(item.keys == Self.itemKeys)
                #expect(item["interval"]?.number == "\(minutes)")
                #expect(item["interval_begin"]?.string?.hasSuffix(".000000000Z") == true)
                if let candle = Self.candle(item) { lastSent[candle.begin] = candle }
            }
        }
        for candle in truth.map(Self.candle) where candle.begin >= expected[1].begin {
            #expect(lastSent[candle.begin] == candle, "the final update of an interval")
        }
    }

    @Test func snapshotHoldsThePreviousAndTheOpenCandle() throws {
        let harness = try SimHarness(SimOptions(seed: 6, pace: .messagesPerSecond(40)))
        let first = harness.open(1)
        subscribeOHLC(harness, "ETH/USD", interval: 1, from: first, reqID: 1)
        harness.run(seconds: 130)
        let second = harness.open(2)
        subscribeOHLC(harness, "ETH/USD", interval: 1, from: second, reqID: 1)
        let responses = try harness.output.frames(to: second).map { try RawJSON.parse($0) }
        let ack = try #require(responses.first { $0["method"]?.string == "subscribe" })
        #expect(ack["success"]?.bool == true)
        #expect(ack["result"]?["interval"]?.number == "1")
        let snapshot = try #require(try channelFrames(harness.output.frames(to: second), channel: "ohlc").first)
        #expect(snapshot["type"]?.string == "snapshot")
        #expect(snapshot["timestamp"]?.string.flatMap { UTCTimestamp($0) } != nil)
        let items = try #require(snapshot["data"]?.array).compactMap(Self.candle)
        #expect(items.count == 2)
        let closed = harness.truth.candles.filter { $0.symbol == "ETH/USD" && $0.intervalMinutes == 1 }
        #expect(items.first == closed.last.map(Self.candle), "the previous candle is the last closed one")
        #expect((items.last?.begin.microseconds ?? 0) - (items.first?.begin.microseconds ?? 0) >= 60_000_000)
    }

    @Test func unknownIntervalIsRefused() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        subscribeOHLC(harness, "BTC/USD", interval: 2, from: id, reqID: 3)
        let reply = try #require(try harness.output.frames(to: id).map { try RawJSON.parse($0) }.last)
        #expect(reply["success"]?.bool == false)
        #expect(reply["error"]?.string == "Subscription interval not supported")
    }
}
