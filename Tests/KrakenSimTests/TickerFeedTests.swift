import BytebitCore
import KrakenSim
import Testing

/// The ticker channel: Kraken's documented shape, triggered by best bid/offer changes (`bbo`) or
/// trades (`trades`), consistent with the simulator's own book and trades.
@Suite struct TickerFeedTests {
    static let itemKeys = [
        "symbol", "bid", "bid_qty", "ask", "ask_qty", "last", "volume", "vwap", "low", "high", "change", "change_pct",
        "timestamp",
    ]

    func subscribeTicker(_ harness: SimHarness, _ symbol: String, trigger: String, from id: SimConnectionID) {
        harness.send(
            #"{"method":"subscribe","params":{"channel":"ticker","symbol":["\#(symbol)"],"event_trigger":"\#(trigger)","snapshot":true},"req_id":5}"#,
            from: id)
    }

    @Test func bboTickersMatchTheBookAndTheTruth() throws {
        let pair = SimPair.catalog[1]
        let harness = try SimHarness(SimOptions(seed: 8, pace: .messagesPerSecond(50)))
        let id = harness.open(1)
        harness.subscribeBook([pair.symbol], depth: 10, from: id)
        harness.subscribeTrades([pair.symbol], snapshot: true, from: id)
        subscribeTicker(harness, pair.symbol, trigger: "bbo", from: id)
        harness.run(seconds: 20)
        let frames = try channelFrames(harness.output.frames(to: id), channel: "ticker")
        #expect(frames.first?["type"]?.string == "snapshot")
        #expect(frames.dropFirst().allSatisfy { $0["type"]?.string == "update" })
        #expect(frames.count > 50)
        let truth = harness.truth.tickers.filter { $0.symbol == pair.symbol }
        #expect(truth.count == frames.count, "one truth per message")
        var books: [UTCTimestamp: SimBookTruth] = [:]
        for book in harness.truth.books where book.symbol == pair.symbol { books[book.timestamp] = book }
        let trades = harness.truth.trades.filter { $0.symbol == pair.symbol }
        // After the snapshot (stamped at the subscription), every message is a step's.
        for (frame, truth) in zip(frames.dropFirst(), truth.dropFirst()) {
            let item = try #require(frame["data"]?.array?.first)
            #expect(item.keys == Self.itemKeys)
            #expect(item["bid"]?.number == "\(truth.bid)")
            #expect(item["ask_qty"]?.number == "\(truth.askQty)")
            #expect(item["change_pct"]?.number == "\(truth.changePercent)")
            #expect(item["timestamp"]?.string == "\(truth.timestamp)")
            // Its best bid and offer are the book's at the same instant.
            let book = try #require(books[truth.timestamp], "a bbo change is a book message")
            #expect(book.bids.first == PriceLevel(price: truth.bid, qty: truth.bidQty))
            #expect(book.asks.first == PriceLevel(price: truth.ask, qty: truth.askQty))
            // `last` is the latest trade by then; low ≤ last ≤ high.
            let latest = trades.last { $0.timestamp <= truth.timestamp }
            #expect(latest?.price == truth.last)
            #expect(truth.low <= truth.last && truth.last <= truth.high)
            // The 24-hour figures over every trade so far (the run is far shorter than a day).
            let sofar = trades.filter { $0.timestamp <= truth.timestamp }
            let volume = sofar.reduce(Int64(0)) { $0 + $1.qty.units }
            #expect(truth.volume == ExactDecimal(units: volume, scale: pair.qtyPrecision))
            let weighted = sofar.reduce(Int128(0)) { $0 + Int128($1.price.units) * Int128($1.qty.units) }
            var vwap = weighted / Int128(volume)
            let twice = weighted % Int128(volume) * 2
            if twice > Int128(volume) || (twice == Int128(volume) && vwap % 2 == 1) { vwap += 1 }
            #expect(truth.vwap == ExactDecimal(units: Int64(vwap), scale: pair.pricePrecision))
            #expect(truth.low == sofar.map(\.price).min() && truth.high == sofar.map(\.price).max())
            let open = try #require(sofar.first?.price)
            #expect(truth.change == ExactDecimal(units: truth.last.units - open.units, scale: pair.pricePrecision))
        }
    }

    @Test func tradesTriggerSendsOneTickerPerTradingStep() throws {
        let pair = SimPair.catalog[0]
        let harness = try SimHarness(SimOptions(seed: 4, pace: .messagesPerSecond(50)))
        let id = harness.open(1)
        harness.subscribeTrades([pair.symbol], snapshot: false, from: id)
        subscribeTicker(harness, pair.symbol, trigger: "trades", from: id)
        harness.run(seconds: 20)
        let tradeFrames = try channelFrames(harness.output.frames(to: id), channel: "trade")
        let tickers = try channelFrames(harness.output.frames(to: id), channel: "ticker").dropFirst()
        #expect(tradeFrames.count > 5)
        #expect(tickers.count == tradeFrames.count)
        for (ticker, trades) in zip(tickers, tradeFrames) {
            let item = try #require(ticker["data"]?.array?.first)
            #expect(item["last"]?.number == trades["data"]?.array?.last?["price"]?.number)
        }
    }

    @Test func oneChannelOfOnePairCanBeRefused() throws {
        let harness = try SimHarness(
            SimOptions(faults: [SimFaultRule(.rejectChannel(channel: "ticker", symbol: "BTC/USD"))]))
        let id = harness.open(1)
        subscribeTicker(harness, "BTC/USD", trigger: "bbo", from: id)
        harness.subscribeBook(["BTC/USD"], depth: 10, from: id)
        subscribeTicker(harness, "ETH/USD", trigger: "bbo", from: id)
        let replies = try harness.output.frames(to: id).map { try RawJSON.parse($0) }.filter { $0["method"] != nil }
        #expect(replies.map { $0["success"]?.bool } == [false, true, true])
        #expect(replies.first?["error"]?.string == "Currency pair not supported BTC/USD")
    }
}
