import BytebitCore
import Foundation
import Testing

/// The built `collector` recording `ticker` and Kraken's `ohlc` from the built `kraken-sim`
/// (a fast simulated clock: one sim minute per real second): the ticker rows are the messages the
/// simulator sent, the ohlc rows are the simulator's own candles (its truth, computed from its own
/// trades), and a pair whose ticker is refused still records its book.
@Suite struct CollectorTickerAndOHLCTests {
    /// The simulator's truth lines of `name` (`ticker-truth.jsonl`, `ohlc-truth.jsonl`).
    static func truthLines(_ simulator: SimulatorProcess, _ name: String) throws -> [[String: Any]] {
        let text = try String(contentsOf: simulator.truthDirectory.appendingPathComponent(name), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    /// Rows of Kraken's candles at one interval.
    static func ohlcRows(_ market: RecordedMarket, _ interval: String) throws -> [[String]] {
        try market.files("ohlc").filter { $0.lastPathComponent.hasPrefix("ohlc_\(interval)_") }
            .flatMap { try RecordedMarket.rows(of: $0) }
    }

    @Test func tickerRowsAreWhatTheSimulatorSentAndOHLCRowsAreItsCandles() throws {
        let directory = try makeTemporaryDirectory("ticker-ohlc")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "150", "--speed", "60"])
        let config = try writeConfig(
            in: directory, url: simulator.url, defaults: "  depth: 10\n  ticker: true\n  ohlc: [1m, 5m]",
            markets: "  - BTC-USD")
        let collector = try CollectorProcess(config: config, pair: "BTC-USD", in: directory)
        try waitUntil("6 one-minute and 2 five-minute candles", seconds: 90, pollEvery: 0.2) {
            guard collector.child.isRunning else { throw RecordingProblem("collector exited: \(collector.child.stderr)") }
            return ((try? Self.ohlcRows(collector.market, "1m")) ?? []).count >= 6
                && ((try? Self.ohlcRows(collector.market, "5m")) ?? []).count >= 2
        }
        #expect(try collector.stop() == 0)
        simulator.stop()

        // Ticker: every row is a message the simulator sent (event_trigger bbo), and none between the
        // first and the last row is missing.
        var sent: [String: [String]] = [:]
        for line in try Self.truthLines(simulator, "ticker-truth.jsonl") where line["symbol"] as? String == "BTC/USD" {
            #expect(line["trigger"] as? String == "bbo")
            let cells = ["bid", "bid_qty", "ask", "ask_qty", "last", "volume", "vwap", "low", "high", "change",
                         "change_pct"].map { line[$0] as? String ?? "?" }
            sent[line["timestamp"] as? String ?? ""] = cells
        }
        let tickers = try collector.market.rows("ticker")
        #expect(tickers.count > 20)
        for row in tickers {
            #expect(sent[row[0]] == Array(row[2...]), "ticker row at \(row[0]) is not what was sent")
        }
        let recordedTimes = Set(tickers.map { $0[0] })
        let (first, last) = (tickers.first?[0] ?? "", tickers.last?[0] ?? "")
        let missing = sent.keys.filter { $0 >= first && $0 <= last && !recordedTimes.contains($0) }
        #expect(missing.isEmpty, "ticker messages sent but not recorded: \(missing.sorted().prefix(3))")

        // Ohlc: every row equals the simulator's own closed candle of that interval; none is repeated,
        // and none of its candles between the first and the last row is missing.
        for (interval, minutes) in [("1m", 1), ("5m", 5)] {
            var candles: [String: [String]] = [:]
            for line in try Self.truthLines(simulator, "ohlc-truth.jsonl")
            where line["symbol"] as? String == "BTC/USD" && (line["interval"] as? NSNumber)?.intValue == minutes {
                candles[line["interval_begin"] as? String ?? ""] =
                    ["open", "high", "low", "close", "volume", "vwap"].map { line[$0] as? String ?? "?" }
                    + ["\((line["trades"] as? NSNumber)?.intValue ?? -1)"]
            }
            let rows = try Self.ohlcRows(collector.market, interval)
            #expect(Set(rows.map { $0[0] }).count == rows.count, "\(interval): a duplicate row")
            for row in rows {
                #expect(candles[row[0]] == Array(row[1...]), "\(interval) candle \(row[0]) is not the simulator's")
            }
            let begins = Set(rows.map { $0[0] })
            let gaps = candles.keys.filter { $0 >= (rows.first?[0] ?? "") && $0 <= (rows.last?[0] ?? "") && !begins.contains($0) }
            #expect(gaps.isEmpty, "\(interval) candles not recorded: \(gaps.sorted().prefix(3))")
        }
        let events = try collector.market.events()
        #expect(events.filter { $0.name == "subscribed" }.map(\.detail).sorted() == [
            "book BTC/USD depth 10", "ohlc 1m BTC/USD", "ohlc 5m BTC/USD", "ticker BTC/USD event_trigger bbo",
            "trade BTC/USD",
        ])
        #expect(!events.contains { $0.name == "ohlc_gap" })
        passed = true
    }

    @Test func aPairWhoseTickerIsRefusedStillRecordsItsBook() throws {
        let directory = try makeTemporaryDirectory("ticker-refused")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "150", "--reject-channel", "ticker:BTC/USD"])
        let config = try writeConfig(
            in: directory, url: simulator.url, defaults: "  depth: 10\n  ticker: true", markets: "  - BTC-USD")
        let collector = try CollectorProcess(config: config, pair: "BTC-USD", in: directory)
        try collector.waitForEvent("rejected")
        try collector.waitForRows(orderbook: 100, trades: 5)
        #expect(collector.child.isRunning)
        #expect(try collector.stop() == 0)
        simulator.stop()
        let rejected = try #require(try collector.market.events().first { $0.name == "rejected" })
        #expect(rejected.detail.hasPrefix("ticker BTC/USD: Currency pair not supported BTC/USD; retrying in "))
        #expect(collector.market.count("ticker") == 0)
        try RecordingChecks.orderBookRowsMatchTruth(
            try collector.market.rows("orderbook"), truth: try simulator.bookTruth(), symbol: "BTC/USD", depth: 10,
            levels: 10)
        passed = true
    }

    /// On one shared connection (a group), the refusal is the refused pair's alone; the routing hands
    /// each pair its own ticker and candles.
    @Test func aGroupRoutesTickerAndCandlesToTheirPairsAndARefusalStaysWithItsPair() throws {
        let directory = try makeTemporaryDirectory("ticker-group")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let simulator = try SimulatorProcess(
            in: directory, arguments: ["--rate", "150", "--speed", "60", "--reject-channel", "ticker:ETH/USD"])
        let config = try writeConfig(
            in: directory, url: simulator.url, defaults: "  depth: 10\n  ticker: true\n  ohlc: [1m]",
            markets: "  - BTC-USD\n  - ETH-USD")
        let statusFile = directory.appendingPathComponent("group.json")
        let child = try ChildProcess(
            "collector",
            arguments: ["--config", config.path, "--market", "BTC-USD", "--market", "ETH-USD", "--status-file",
                        statusFile.path],
            logDirectory: directory)
        let data = directory.appendingPathComponent("data")
        let btc = RecordedMarket(dataDirectory: data, pair: "BTC-USD")
        let eth = RecordedMarket(dataDirectory: data, pair: "ETH-USD")
        try waitUntil("3 candles of each pair", seconds: 90, pollEvery: 0.2) {
            guard child.isRunning else { throw RecordingProblem("collector exited: \(child.stderr.suffix(2000))") }
            return [btc, eth].allSatisfy { ((try? Self.ohlcRows($0, "1m")) ?? []).count >= 3 }
        }
        let btcStatus = try #require(try CollectorStatusFile.read(from: statusFile.path).first { $0.market == "BTC-USD" })
        #expect(btcStatus.rowsToday.ticker != nil && btcStatus.rowsToday.ohlc != nil)
        child.signal(SIGTERM)
        #expect(try child.waitForExit(seconds: 20) == 0)
        simulator.stop()

        #expect(btc.count("ticker") > 10)
        #expect(eth.count("ticker") == 0)
        #expect(try btc.events().allSatisfy { $0.name != "rejected" })
        let rejected = try eth.events().filter { $0.name == "rejected" }
        #expect(rejected.first?.detail.hasPrefix("ticker ETH/USD: Currency pair not supported ETH/USD") == true)
        for (market, symbol) in [(btc, "BTC/USD"), (eth, "ETH/USD")] {
            var candles: [String: [String]] = [:]
            for line in try Self.truthLines(simulator, "ohlc-truth.jsonl")
            where line["symbol"] as? String == symbol && (line["interval"] as? NSNumber)?.intValue == 1 {
                candles[line["interval_begin"] as? String ?? ""] =
                    ["open", "high", "low", "close", "volume", "vwap"].map { line[$0] as? String ?? "?" }
                    + ["\((line["trades"] as? NSNumber)?.intValue ?? -1)"]
            }
            for row in try Self.ohlcRows(market, "1m") {
                #expect(candles[row[0]] == Array(row[1...]), "\(symbol) candle \(row[0]) is not the simulator's")
            }
            #expect(market.count("orderbook") > 20)
        }
        passed = true
    }
}
