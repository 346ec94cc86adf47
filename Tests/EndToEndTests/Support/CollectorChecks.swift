import Foundation
import Testing

/// A `collector` child process recording one market of a simulator into `directory/data`.
final class CollectorProcess {
    let child: ChildProcess
    let market: RecordedMarket
    let pair: String

    init(config: URL, pair: String, in directory: URL, extraArguments: [String] = [], label: String = "collector") throws {
        self.pair = pair
        child = try ChildProcess(
            "collector", arguments: ["--config", config.path, "--market", pair] + extraArguments,
            logDirectory: directory, label: label)
        market = RecordedMarket(dataDirectory: directory.appendingPathComponent("data"), pair: pair)
    }

    /// Waits until the files hold at least this many rows (the collector flushes every 100 ms here).
    func waitForRows(orderbook: Int = 0, trades: Int = 0, seconds: Double = 30) throws {
        try waitUntil("\(pair): \(orderbook) order book rows and \(trades) trades", seconds: seconds, pollEvery: 0.1) {
            guard child.isRunning else { throw RecordingProblem("collector exited early: \(child.stderr.suffix(2000))") }
            return market.count("orderbook") >= orderbook && market.count("trades") >= trades
        }
    }

    /// Waits until the events ledger has `count` rows named `name`.
    func waitForEvent(_ name: String, count: Int = 1, seconds: Double = 30) throws {
        try waitUntil("\(pair): \(count)× event \(name)", seconds: seconds, pollEvery: 0.1) {
            ((try? market.events()) ?? []).filter { $0.name == name }.count >= count
        }
    }

    /// SIGTERM, and the exit status.
    func stop() throws -> Int32 {
        child.signal(SIGTERM)
        return try child.waitForExit(seconds: 20)
    }
}

/// Checks that hold for every recording, whatever happened during it.
enum RecordingChecks {
    /// Every order book row equals a book state the simulator really sent (update mode: the state
    /// of the message with that timestamp), with an exact mid price; returns the matched states.
    @discardableResult
    static func orderBookRowsMatchTruth(
        _ rows: [[String]], truth: [String: TruthBook], symbol: String, depth: Int, levels: Int
    ) throws -> [TruthBook] {
        var matched: [TruthBook] = []
        for row in rows {
            let key = "\(symbol) \(depth) \(row[0])"
            let book = try #require(truth[key], "no true book sent at \(row[0]) for \(symbol)")
            var cells = Array(row.dropFirst(2))
            let mid = cells.remove(at: levels * 2)
            #expect(cells == book.expectedCells(levels: levels), "row \(row[0]) differs from the true book")
            try expectExactMid(mid, bid: book.bids.first?[0], ask: book.asks.first?[0])
            matched.append(book)
        }
        return matched
    }

    /// `mid` is exactly (bid + ask) / 2 (Foundation's decimal arithmetic is exact at these sizes).
    static func expectExactMid(_ mid: String, bid: String?, ask: String?) throws {
        guard let bid, let ask else {
            #expect(mid.isEmpty)
            return
        }
        let sum = try #require(Decimal(string: bid)) + (try #require(Decimal(string: ask)))
        let twice = try #require(Decimal(string: mid)) * 2
        #expect(sum == twice, "mid \(mid) of \(bid) and \(ask)")
    }

    /// Each recorded trade once, in id order, equal to what the simulator sent; returns the ids.
    @discardableResult
    static func tradesMatchTruth(_ rows: [[String]], truth: [UInt64: [String]]) throws -> [UInt64] {
        let ids = try rows.map { try #require(UInt64($0[2]), "trade id \($0[2])") }
        #expect(ids == ids.sorted() && Set(ids).count == ids.count, "trade ids not unique and increasing")
        for row in rows {
            let id = try #require(UInt64(row[2]))
            let sent = try #require(truth[id], "trade \(id) was never sent")
            #expect([row[2], row[3], row[4], row[5], row[6]] == sent, "trade \(id) differs from what was sent")
        }
        return ids
    }

    /// The true states of `symbol`/`depth` sent between two row timestamps that have no row.
    static func missingStates(
        rows: [[String]], truth: [String: TruthBook], symbol: String, depth: Int, from: String, to: String
    ) -> [String] {
        let recorded = Set(rows.map(\.[0]))
        return truth.values
            .filter { $0.symbol == symbol && $0.depth == depth && $0.timestamp >= from && $0.timestamp <= to }
            .map(\.timestamp)
            .filter { !recorded.contains($0) }
            .sorted()
    }
}
