import BytebitCore
import KrakenSim
import Testing

/// Book messages, checked against the test's own reference book and against the truth.
@Suite struct BookFeedTests {
    static let symbols = SimPair.catalog.map(\.symbol)

    /// What a pass over one connection's book frames saw.
    struct Replay {
        var snapshots = 0
        var updates = 0
        var deletes = 0
        var repeatedPrices = 0
        var truncatedLevels = 0
        var roundQuantities = 0
    }

    /// Applies every book frame to a reference book per symbol and checks checksum, number format,
    /// timestamps and the truth window after each one.
    static func replay(
        _ frames: [String], depth: Int, truth: [SimBookTruth], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Replay {
        let pairs = Dictionary(uniqueKeysWithValues: SimPair.catalog.map { ($0.symbol, $0) })
        let truthByKey = Dictionary(
            truth.filter { $0.depth == depth }.map { ("\($0.symbol)|\($0.timestamp)", $0) }, uniquingKeysWith: { $1 })
        var books: [String: ReferenceBook] = [:]
        var lastTimestamp: [String: UTCTimestamp] = [:]
        var replay = Replay()
        for frame in try channelFrames(frames, channel: "book") {
            let isSnapshot = frame["type"]?.string == "snapshot"
            let data = try #require(frame["data"]?.array?.first, sourceLocation: sourceLocation)
            let symbol = try #require(data["symbol"]?.string, sourceLocation: sourceLocation)
            let pair = try #require(pairs[symbol], sourceLocation: sourceLocation)
            #expect(data.keys == ["symbol", "bids", "asks", "checksum", "timestamp"], sourceLocation: sourceLocation)
            for side in ["bids", "asks"] {
                var seen: Set<String> = []
                for level in data[side]?.array ?? [] {
                    let price = level["price"]?.number ?? ""
                    let qty = level["qty"]?.number ?? ""
                    #expect(
                        isPrinted(price, withFractionDigits: Int(pair.pricePrecision)), "\(symbol) price \(price)",
                        sourceLocation: sourceLocation)
                    #expect(
                        isPrinted(qty, withFractionDigits: Int(pair.qtyPrecision)), "\(symbol) qty \(qty)",
                        sourceLocation: sourceLocation)
                    if qty.allSatisfy({ $0 == "0" || $0 == "." }) { replay.deletes += 1 }
                    if qty.contains("."), qty.hasSuffix("0") { replay.roundQuantities += 1 }
                    if !seen.insert(price).inserted { replay.repeatedPrices += 1 }
                }
            }
            var book =
                isSnapshot ? ReferenceBook(depth: depth) : try #require(books[symbol], sourceLocation: sourceLocation)
            book.apply(data, isSnapshot: isSnapshot)
            books[symbol] = book
            if isSnapshot { replay.snapshots += 1 } else { replay.updates += 1 }

            #expect(
                String(book.checksum) == data["checksum"]?.number, "\(symbol) depth \(depth)",
                sourceLocation: sourceLocation)
            let timestamp = try #require(
                data["timestamp"]?.string.flatMap { UTCTimestamp($0) }, sourceLocation: sourceLocation)
            if let last = lastTimestamp[symbol] { #expect(timestamp > last, sourceLocation: sourceLocation) }
            lastTimestamp[symbol] = timestamp
            let truthWindow = try #require(
                truthByKey["\(symbol)|\(timestamp)"], "no truth for \(symbol) \(timestamp)",
                sourceLocation: sourceLocation)
            #expect(
                book.bidLevels.map { "\($0.price) \($0.qty)" } == truthWindow.bids.map { "\($0.price) \($0.qty)" },
                sourceLocation: sourceLocation)
            #expect(
                book.askLevels.map { "\($0.price) \($0.qty)" } == truthWindow.asks.map { "\($0.price) \($0.qty)" },
                sourceLocation: sourceLocation)
            #expect(String(truthWindow.checksum) == data["checksum"]?.number, sourceLocation: sourceLocation)
        }
        replay.truncatedLevels = books.values.map(\.truncatedLevels).reduce(0, +)
        return replay
    }

    @Test(arguments: [10, 25, 100, 500, 1000])
    func everyMessageMatchesTheReferenceBookAndTheTruth(depth: Int) throws {
        let harness = try SimHarness(SimOptions(seed: 7))
        let id = harness.open(1)
        harness.subscribeBook(Self.symbols, depth: depth, from: id)
        // Deep windows change on nearly every step: a shorter run covers as many updates.
        let seconds = depth >= 500 ? 0.6 : 2
        harness.run(seconds: seconds)
        let replay = try Self.replay(harness.output.frames(to: id), depth: depth, truth: harness.truth.books)
        #expect(replay.snapshots == Self.symbols.count)
        #expect(replay.updates > Int(seconds * 100))
        #expect(replay.deletes > 0)
        #expect(replay.repeatedPrices > 0)
        #expect(replay.truncatedLevels > 0, "levels pushed out of the window are left to the client")
        #expect(replay.roundQuantities > 0)
    }

    @Test func snapshotHoldsTheTopLevelsOfEachSideBestFirst() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        harness.subscribeBook(["BTC/USD"], depth: 25, from: id)
        let snapshot = try #require(try channelFrames(harness.output.frames(to: id), channel: "book").first)
        #expect(snapshot["type"]?.string == "snapshot")
        let data = try #require(snapshot["data"]?.array?.first)
        let bids = try #require(data["bids"]?.array).compactMap { $0["price"]?.number.flatMap { Double($0) } }
        let asks = try #require(data["asks"]?.array).compactMap { $0["price"]?.number.flatMap { Double($0) } }
        #expect(bids.count == 25)
        #expect(asks.count == 25)
        #expect(bids == bids.sorted(by: >))
        #expect(asks == asks.sorted())
        #expect(try #require(bids.first) < (try #require(asks.first)))
    }

    @Test func connectionsAtDifferentDepthsEachStayInSync() throws {
        let harness = try SimHarness(SimOptions(seed: 11))
        let shallow = harness.open(1)
        let deep = harness.open(2)
        harness.subscribeBook(["ETH/BTC", "BTC/JPY"], depth: 10, from: shallow)
        harness.run(seconds: 0.5)
        harness.subscribeBook(["ETH/BTC", "BTC/JPY"], depth: 100, from: deep)
        harness.run(seconds: 1.5)
        let shallowReplay = try Self.replay(harness.output.frames(to: shallow), depth: 10, truth: harness.truth.books)
        let deepReplay = try Self.replay(harness.output.frames(to: deep), depth: 100, truth: harness.truth.books)
        #expect(shallowReplay.updates > 50)
        #expect(deepReplay.updates > 50)
    }

    @Test func resubscribingGivesAFreshSnapshotThatStaysInSync() throws {
        let harness = try SimHarness(SimOptions(seed: 5))
        let id = harness.open(1)
        harness.subscribeBook(["ARB/USD"], depth: 25, from: id)
        harness.run(seconds: 0.5)
        harness.send(#"{"method":"unsubscribe","params":{"channel":"book","symbol":["ARB/USD"]},"req_id":8}"#, from: id)
        harness.run(seconds: 0.5)
        harness.subscribeBook(["ARB/USD"], depth: 25, from: id)
        harness.run(seconds: 0.5)
        let replay = try Self.replay(harness.output.frames(to: id), depth: 25, truth: harness.truth.books)
        #expect(replay.snapshots == 2)
        #expect(replay.updates > 10)
    }

    @Test func simClockCrossesMidnightWithStartAndSpeed() throws {
        let start = try #require(UTCTimestamp("2026-11-21T23:59:55Z"))
        let harness = try SimHarness(SimOptions(start: start, speed: 10))
        let id = harness.open(1)
        harness.subscribeBook(["BTC/USD"], depth: 10, from: id)
        harness.run(seconds: 1)
        let dates = try channelFrames(harness.output.frames(to: id), channel: "book").compactMap {
            $0["data"]?.array?.first?["timestamp"]?.string.flatMap { UTCTimestamp($0)?.utcDate }
        }
        #expect(dates.first == "2026-11-21")
        #expect(dates.last == "2026-11-22")
        #expect(harness.exchange.simulatedTime(at: harness.clock.now()) == UTCTimestamp("2026-11-22T00:00:05Z"))
    }

    @Test func unlimitedPaceSendsSomethingOnEveryWritableCallback() throws {
        let harness = try SimHarness(SimOptions(pace: .unlimited))
        let id = harness.open(1)
        #expect(!harness.exchange.wantsData(id))
        harness.subscribeTrades(["BTC/JPY"], snapshot: false, from: id)
        #expect(harness.exchange.wantsData(id))
        _ = harness.output.newFrames(to: id)
        for _ in 0..<20 {
            harness.exchange.connectionWritable(id)
            #expect(try channelFrames(harness.output.newFrames(to: id), channel: "trade").count == 1)
        }
    }

    @Test func unlimitedPaceProducesWhenTheClientCanTakeMore() throws {
        let harness = try SimHarness(SimOptions(pace: .unlimited))
        let id = harness.open(1)
        harness.subscribeBook(["BTC/USD"], depth: 100, from: id)
        _ = harness.output.newFrames(to: id)
        harness.run(seconds: 0.5)
        #expect(try channelFrames(harness.output.newFrames(to: id), channel: "book").isEmpty)
        for _ in 0..<200 { harness.exchange.connectionWritable(id) }
        let updates = try channelFrames(harness.output.newFrames(to: id), channel: "book")
        #expect(updates.count > 150)
        _ = try Self.replay(harness.output.frames(to: id), depth: 100, truth: harness.truth.books)
    }
}
