import BytebitWebSocket
import Foundation
import KrakenSim
import Testing

/// The client against the in-process simulator, over ws and wss: every book checksum the simulator
/// sends must match the test's own reference book, and trades must arrive in trade-id order.
@Suite struct KrakenSimFeedTests {
    /// Book subscriptions, symbol → depth: precisions 1/8, 0/8 (integer prices), 6/8 and 4/5.
    static let bookDepths = ["BTC/USD": 10, "BTC/JPY": 10, "ETH/BTC": 25, "ARB/USD": 25]
    static let tradeSymbols = ["BTC/USD", "ETH/BTC"]
    static let enoughBookMessages = 3_000
    static let enoughTradeUpdates = 20

    @Test(arguments: FeedTransport.allCases)
    func everyBookChecksumMatchesTheReference(transport: FeedTransport) throws {
        let run = try FeedRun(transport: transport)
        let tally = run.tally

        #expect(run.isFinished, "stalled: \(tally.bookMessages) book messages, \(tally.tradeUpdates) trade updates")
        #expect(tally.problems.isEmpty, "\(tally.problems.joined(separator: "\n"))")
        #expect(run.ending == .stopped)
        #expect(tally.bookMessages >= Self.enoughBookMessages)
        #expect(tally.verifiedChecksums == tally.bookMessages)
        #expect(tally.acknowledgements == 1 + Self.bookDepths.count + Self.tradeSymbols.count)
        for symbol in Self.bookDepths.keys {
            #expect(tally.bookSnapshots[symbol] == 1, "\(symbol)")
            #expect(tally.bookUpdates[symbol, default: 0] > 0, "\(symbol)")
        }
        for symbol in Self.tradeSymbols {
            #expect(tally.tradeSnapshots[symbol] == 1, "\(symbol)")
        }
        #expect(tally.tradeUpdates >= Self.enoughTradeUpdates)
    }

    /// The check can fail: one corrupted checksum is reported, and only that one.
    @Test func aCorruptedChecksumIsCaught() throws {
        let run = try FeedRun(
            transport: .ws, faults: [SimFaultRule(.wrongChecksum(bookMessage: 300))], enoughBookMessages: 500)
        let tally = run.tally

        #expect(run.isFinished)
        #expect(tally.problems.count == 1)
        #expect(tally.problems.first?.contains("book message 300: checksum") == true, "\(tally.problems)")
        #expect(tally.verifiedChecksums == tally.bookMessages - 1)
    }

    // The reference must agree with Kraken before it can judge the simulator.

    @Test func referenceCRCHasTheIEEECheckValue() {
        #expect(ReferenceCRC32.checksum("123456789".utf8) == 0xCBF4_3926)
    }

    @Test func referenceReproducesKrakensWorkedExample() throws {
        // docs/kraken-v2.md §4.2 (Kraken's book-checksum guide): expected 3310070434.
        let bids = [
            ("45283.5", "0.10000000"), ("45283.4", "1.54582015"), ("45282.1", "0.10000000"),
            ("45281.0", "0.10000000"), ("45280.3", "1.54592586"), ("45279.0", "0.07990000"),
            ("45277.6", "0.03310103"), ("45277.5", "0.30000000"), ("45277.3", "1.54602737"),
            ("45276.6", "0.15445238"),
        ]
        let asks = [
            ("45285.2", "0.00100000"), ("45286.4", "1.54571953"), ("45286.6", "1.54571109"),
            ("45289.6", "1.54560911"), ("45290.2", "0.15890660"), ("45291.8", "1.54553491"),
            ("45294.7", "0.04454749"), ("45296.1", "0.35380000"), ("45297.5", "0.09945542"),
            ("45299.5", "0.18772827"),
        ]
        var book = ReferenceBook(depth: 10)
        // Given worst first, so the reference has to sort them itself.
        try book.apply(
            bids: bids.reversed().map { ReferenceBook.Level(price: $0.0, qty: $0.1) },
            asks: asks.reversed().map { ReferenceBook.Level(price: $0.0, qty: $0.1) }, isSnapshot: true)
        #expect(book.checksum == 3_310_070_434)
        #expect(book.bids.first?.price == "45283.5")
        #expect(book.asks.first?.price == "45285.2")
    }

    @Test func referenceReproducesKrakensLiveFrames() throws {
        // Captured from Kraken's public v2 endpoint (kraken-v2-fixtures/live-frames.json): a snapshot and an
        // update that deletes a level and inserts one.
        let snapshot =
            #"{"channel":"book","type":"snapshot","data":[{"symbol":"ETH/BTC","bids":[{"price":0.031348,"qty":0.03740000},{"price":0.031347,"qty":2.87288049},{"price":0.031345,"qty":8.57986833},{"price":0.031344,"qty":14.40276069},{"price":0.031340,"qty":12.96065840},{"price":0.031339,"qty":13.19606540},{"price":0.031338,"qty":20.41389313},{"price":0.031336,"qty":0.03740000},{"price":0.031334,"qty":14.37158163},{"price":0.031332,"qty":14.40695990}],"asks":[{"price":0.031357,"qty":0.03740000},{"price":0.031358,"qty":2.87194815},{"price":0.031361,"qty":0.00767324},{"price":0.031362,"qty":4.27140781},{"price":0.031363,"qty":4.34586052},{"price":0.031364,"qty":27.28097668},{"price":0.031365,"qty":12.92325840},{"price":0.031366,"qty":4.14290322},{"price":0.031368,"qty":0.00738649},{"price":0.031370,"qty":0.03740000}],"checksum":3619791617,"timestamp":"2026-08-26T15:16:16.637831Z"}]}"#
        let update =
            #"{"channel":"book","type":"update","data":[{"symbol":"ETH/BTC","bids":[{"price":0.031347,"qty":0.00000000},{"price":0.031329,"qty":19.07893401}],"asks":[],"checksum":2505869009,"timestamp":"2026-08-26T15:16:16.730423Z"}]}"#
        var book = ReferenceBook(depth: 10)
        for (frame, isSnapshot) in [(snapshot, true), (update, false)] {
            let entry = try #require(try WireJSON.parse(Array(frame.utf8))["data"]?.items?.first)
            try book.apply(
                bids: ReferenceBook.levels(entry["bids"]), asks: ReferenceBook.levels(entry["asks"]),
                isSnapshot: isSnapshot)
            #expect(book.checksum == entry["checksum"]?.number.flatMap { UInt32($0) })
        }
        #expect(book.bids.count == 10)
        #expect(book.bids.last == ReferenceBook.Level(price: "0.031329", qty: "19.07893401"))
        #expect(!book.bids.contains { $0.price == "0.031347" })
    }
}

/// One client run against a fresh in-process simulator, until the checker has seen enough.
struct FeedRun {
    var tally: FeedTally
    var isFinished: Bool
    var ending: WebSocketEnding?

    init(
        transport: FeedTransport, faults: [SimFaultRule] = [],
        enoughBookMessages: Int = KrakenSimFeedTests.enoughBookMessages
    ) throws {
        let certificates = transport == .wss ? try TestCertificates() : nil
        defer { certificates?.remove() }
        let options = SimOptions(
            port: 0, tlsCertificatePath: certificates?.localhost.certificateFile,
            tlsKeyPath: certificates?.localhost.privateKeyFile, seed: 11, pace: .unlimited, faults: faults)
        let simulator = try KrakenSimServer(options: options, logger: testLogger)
        simulator.start()
        defer { simulator.stop() }
        #expect(simulator.url.hasPrefix("\(transport.rawValue)://127.0.0.1:"))

        let client = try makeClient(simulator.url, caFile: certificates?.caFile)
        let checker = KrakenFeedChecker(
            client: client, bookDepths: KrakenSimFeedTests.bookDepths, tradeSymbols: KrakenSimFeedTests.tradeSymbols,
            enoughBookMessages: enoughBookMessages, enoughTradeUpdates: KrakenSimFeedTests.enoughTradeUpdates)
        let ending = Eventually<WebSocketEnding>()
        Thread { ending.fulfil(client.run(handler: checker)) }.start()

        // The checker stops the client once it has seen enough; the deadline only bounds a stall.
        isFinished = checker.tally.wait(timeout: 60) { $0.isFinished }
        client.stop()
        self.ending = ending.wait(timeout: 10)
        tally = checker.tally.read { $0 }
    }
}

/// How the test reaches the simulator.
enum FeedTransport: String, CaseIterable, Sendable {
    case ws
    case wss
}

/// One way the feed broke Kraken's rules.
struct FeedProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What the checker saw; read by the test once the client stopped.
struct FeedTally: Sendable {
    var bookMessages = 0
    var verifiedChecksums = 0
    var bookSnapshots: [String: Int] = [:]
    var bookUpdates: [String: Int] = [:]
    var tradeSnapshots: [String: Int] = [:]
    var tradeUpdates = 0
    var acknowledgements = 0
    /// Everything that contradicts Kraken's rules, one line each.
    var problems: [String] = []
    var isFinished = false
}

/// A client handler that subscribes on open and checks every frame as it arrives: a reference book
/// per symbol on the raw number text, the checksum of every book message, trade-id order.
final class KrakenFeedChecker: WebSocketHandler, @unchecked Sendable {
    /// Shared with the test thread; everything below it is touched only on the client's thread.
    let tally = Guarded(FeedTally())
    private let client: WebSocketClient
    private let bookDepths: [String: Int]
    private let tradeSymbols: [String]
    private let enoughBookMessages: Int
    private let enoughTradeUpdates: Int
    private var books: [String: ReferenceBook] = [:]
    private var lastTradeIDs: [String: Int64] = [:]
    /// Symbol → fraction digits of prices and quantities, from the instrument snapshot.
    private var precisions: [String: (price: Int, qty: Int)] = [:]
    private var frames = 0

    init(
        client: WebSocketClient, bookDepths: [String: Int], tradeSymbols: [String], enoughBookMessages: Int,
        enoughTradeUpdates: Int
    ) {
        self.client = client
        self.bookDepths = bookDepths
        self.tradeSymbols = tradeSymbols
        self.enoughBookMessages = enoughBookMessages
        self.enoughTradeUpdates = enoughTradeUpdates
    }

    func webSocketDidOpen() {
        client.send(text: #"{"method":"subscribe","params":{"channel":"instrument","snapshot":true},"req_id":1}"#)
        let byDepth = Dictionary(grouping: bookDepths.keys.sorted()) { bookDepths[$0] ?? 10 }
        for (offset, depth) in byDepth.keys.sorted().enumerated() {
            client.send(
                text: #"{"method":"subscribe","params":{"channel":"book","symbol":\#(Self.list(byDepth[depth] ?? [])),"#
                    + #""depth":\#(depth),"snapshot":true},"req_id":\#(2 + offset)}"#)
        }
        client.send(
            text: #"{"method":"subscribe","params":{"channel":"trade","symbol":\#(Self.list(tradeSymbols)),"#
                + #""snapshot":true},"req_id":9}"#)
    }

    private static func list(_ symbols: [String]) -> String {
        "[" + symbols.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }

    func webSocketDidReceive(_ message: UnsafeRawBufferPointer, isText: Bool) {
        tally.mutate { tally in
            guard !tally.isFinished else { return }
            frames += 1
            do {
                try check(WireJSON.parse(message), into: &tally)
            } catch {
                let text = String(decoding: message.prefix(300), as: UTF8.self)
                tally.problems.append("frame \(frames): \(error): \(text)")
            }
            let hasEnough = tally.bookMessages >= enoughBookMessages && tally.tradeUpdates >= enoughTradeUpdates
            if hasEnough || tally.problems.count >= 10 {
                tally.isFinished = true
                client.stop()
            }
        }
    }

    private func check(_ frame: WireJSON, into tally: inout FeedTally) throws {
        let channel = frame["channel"]?.text
        if frames == 1, channel != "status" { throw FeedProblem("the first frame is not the status") }
        if let method = frame["method"]?.text {
            guard method == "subscribe", case .literal("true") = frame["success"] else {
                throw FeedProblem("request refused: \(frame["error"]?.text ?? "no error text")")
            }
            tally.acknowledgements += 1
            return
        }
        let type = frame["type"]?.text
        if channel == "book" || channel == "trade", type != "snapshot", type != "update" {
            throw FeedProblem("\(channel ?? "") frame of type \(type ?? "none")")
        }
        switch channel {
        case "status", "heartbeat":
            return
        case "instrument":
            for pair in frame["data"]?["pairs"]?.items ?? [] {
                guard let symbol = pair["symbol"]?.text, let price = pair["price_precision"]?.number,
                    let qty = pair["qty_precision"]?.number, let priceDigits = Int(price), let qtyDigits = Int(qty)
                else { throw FeedProblem("instrument pair without symbol and precisions") }
                precisions[symbol] = (priceDigits, qtyDigits)
            }
        case "book":
            for entry in frame["data"]?.items ?? [] {
                try checkBook(entry, isSnapshot: type == "snapshot", into: &tally)
            }
        case "trade":
            try checkTrades(frame["data"]?.items ?? [], isSnapshot: type == "snapshot", into: &tally)
        default:
            throw FeedProblem("unexpected frame on channel \(channel ?? "none")")
        }
    }

    private func checkBook(_ entry: WireJSON, isSnapshot: Bool, into tally: inout FeedTally) throws {
        guard let symbol = entry["symbol"]?.text, let depth = bookDepths[symbol] else {
            throw FeedProblem("book for a symbol not subscribed")
        }
        guard let precision = precisions[symbol] else { throw FeedProblem("\(symbol) book before its instrument data") }
        guard isSnapshot || books[symbol] != nil else { throw FeedProblem("\(symbol) update before its snapshot") }
        let bids = try ReferenceBook.levels(entry["bids"])
        let asks = try ReferenceBook.levels(entry["asks"])
        if isSnapshot, bids.count > depth || asks.count > depth {
            throw FeedProblem("\(symbol) snapshot deeper than \(depth)")
        }
        for level in bids + asks {
            // Kraken prints every number at the pair's precision, trailing zeros included (§4.3).
            guard Self.fractionDigits(level.price) == precision.price, Self.fractionDigits(level.qty) == precision.qty
            else { throw FeedProblem("\(symbol) level \(level.price) x \(level.qty) not at precision \(precision)") }
        }
        var book = isSnapshot ? ReferenceBook(depth: depth) : books[symbol] ?? ReferenceBook(depth: depth)
        try book.apply(bids: bids, asks: asks, isSnapshot: isSnapshot)
        books[symbol] = book
        tally.bookMessages += 1
        if isSnapshot {
            tally.bookSnapshots[symbol, default: 0] += 1
        } else {
            tally.bookUpdates[symbol, default: 0] += 1
        }
        guard let sent = entry["checksum"]?.number.flatMap({ UInt32($0) }) else {
            throw FeedProblem("\(symbol) book message without a checksum")
        }
        let reference = book.checksum
        guard sent == reference else {
            throw FeedProblem("\(symbol) book message \(tally.bookMessages): checksum \(sent), reference \(reference)")
        }
        tally.verifiedChecksums += 1
        if book.isCrossed {
            let bid = book.bids.first?.price ?? ""
            let ask = book.asks.first?.price ?? ""
            throw FeedProblem("\(symbol) book crossed: bid \(bid), ask \(ask)")
        }
    }

    private func checkTrades(_ trades: [WireJSON], isSnapshot: Bool, into tally: inout FeedTally) throws {
        guard !trades.isEmpty, trades.count <= 50 else { throw FeedProblem("trade frame of \(trades.count) trades") }
        let symbols = Set(trades.compactMap { $0["symbol"]?.text })
        guard symbols.count == 1, let symbol = symbols.first, tradeSymbols.contains(symbol) else {
            throw FeedProblem("trade frame for \(symbols.sorted()), not one subscribed symbol")
        }
        if isSnapshot {
            guard lastTradeIDs[symbol] == nil else { throw FeedProblem("\(symbol) trade snapshot after trades") }
            tally.tradeSnapshots[symbol, default: 0] += 1
        } else {
            guard lastTradeIDs[symbol] != nil else { throw FeedProblem("\(symbol) trade update before the snapshot") }
            tally.tradeUpdates += 1
        }
        for trade in trades {
            guard let id = trade["trade_id"]?.number.flatMap({ Int64($0) }) else {
                throw FeedProblem("\(symbol) trade without an integer trade_id")
            }
            if let last = lastTradeIDs[symbol], id <= last {
                throw FeedProblem("\(symbol) trade_id \(id) after \(last)")
            }
            lastTradeIDs[symbol] = id
        }
    }

    /// Digits after the point (0 for integer text).
    private static func fractionDigits(_ token: String) -> Int {
        guard let point = token.firstIndex(of: ".") else { return 0 }
        return token.distance(from: token.index(after: point), to: token.endIndex)
    }
}
