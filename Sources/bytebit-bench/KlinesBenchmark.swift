import ArgumentParser
import BytebitCore
import Foundation

/// `bytebit-bench klines`: the offline rebuild's throughput (`bytebit klines`: read the day's trades
/// file, parse, build, per interval) in trades/s, and the live builder's cost per trade (what the
/// collector adds per recorded trade for `klines: [1m, 5m, 1h]`).
struct KlinesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "klines", abstract: "Offline candle rebuild (trades/s) and the live builder's cost per trade.")
    @Option(help: "Trades in the generated day.") var trades = 2_000_000
    @Option(help: "Where the generated day goes.") var directory = "/tmp/bytebit-klines-bench"
    @Option var rounds = 3
    @Flag(help: "Only the live builder (for `perf stat -e instructions`: compare --rounds 1 and 2).")
    var liveOnly = false

    func run() throws {
        if liveOnly {
            liveCost()
            return
        }
        let pair = "BENCH-USD"
        let day: Int64 = 20_413  // 2025-11-21
        try? FileManager.default.removeItem(atPath: directory)
        let tradesFile = try Self.writeDay(trades: trades, day: day, directory: directory, pair: pair)
        let megabytes = (try? FileManager.default.attributesOfItem(atPath: tradesFile)[.size] as? Int).map { ($0 ?? 0) / 1_000_000 } ?? 0
        print("generated \(trades) trades (\(megabytes) MB) for one day")
        let now = UTCTimestamp(microsecondsSince1970: (day + 3) * UTCTimestamp.microsecondsPerDay)
        for intervals in [[KlineInterval.oneMinute], [.oneMinute, .fiveMinutes, .oneHour], KlineInterval.allCases] {
            var best = Double.infinity
            var bestCPU = Double.infinity
            var candles = 0
            for _ in 0..<rounds {
                let start = DispatchTime.now().uptimeNanoseconds
                let cpu = CPUTime.process()
                let rebuilt = try KlineRebuild.day(day, intervals: intervals, dataDirectory: directory, pair: pair, now: now)
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                bestCPU = min(bestCPU, CPUTime.process() - cpu)
                candles = rebuilt.klines.count
            }
            let names = intervals.map(\.rawValue).joined(separator: ",")
            print("offline klines [\(names)]".padding(toLength: 40, withPad: " ", startingAt: 0)
                + " wall \(String(format: "%.3f", best)) s \(Self.rate(trades, best)) trades/s | cpu "
                + "\(String(format: "%.3f", bestCPU)) s \(Self.rate(trades, bestCPU)) trades/s (\(candles) candles)")
        }
        liveCost()
    }

    /// The builder alone, fed in memory as the recorder feeds it: nanoseconds of CPU per trade.
    private func liveCost() {
        let count = 2_000_000
        let start: Int64 = 20_413 * UTCTimestamp.microsecondsPerDay
        var inputs: [KlineBuilder.Trade] = []
        inputs.reserveCapacity(count)
        var random = SeededRandomNumberGenerator(seed: 7)
        var price: Int64 = 673_211
        for index in 0..<count {
            price += Int64.random(in: -3...3, using: &random)
            let time = start + Int64(index) * 40_000  // 25 trades/s
            inputs.append(KlineBuilder.Trade(
                timestamp: UTCTimestamp(microsecondsSince1970: time), receivedAt: UTCTimestamp(microsecondsSince1970: time + 900),
                tradeID: UInt64(index + 1), price: ExactDecimal(units: price, scale: 1),
                qty: ExactDecimal(units: Int64.random(in: 1...500_000_000, using: &random), scale: 8)))
        }
        var best = Double.infinity
        var written = 0
        for _ in 0..<rounds {
            var builder = KlineBuilder(intervals: [.oneMinute, .fiveMinutes, .oneHour], pricePrecision: 1)
            let cpu = CPUTime.thread()
            for trade in inputs {
                builder.add(trade)
                if builder.hasFinished { written += builder.takeFinished().count }
            }
            best = min(best, CPUTime.thread() - cpu)
        }
        let perTrade = best / Double(count) * 1e9
        // Kraken's busiest pair trades a few per second on average and ~1,000/s in a burst.
        print("live builder [1m,5m,1h]: \(String(format: "%.0f", perTrade)) ns CPU per trade; at 1,000 trades/s "
            + "\(String(format: "%.3f", perTrade * 1_000 / 1e9 * 100)) % of one core (\(written / rounds) candles per round)")
    }

    static func rate(_ count: Int, _ seconds: Double) -> String {
        String(format: "%10.0f", Double(count) / max(seconds, 1e-9))
    }

    /// A day of `trades` trades spread over 24 h (one random walk, 8-decimal quantities), and pair.csv.
    static func writeDay(trades: Int, day: Int64, directory: String, pair: String) throws -> String {
        let folder = "\(directory)/\(pair)/trades"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try PairMetadata.record(
            PairMetadata.Entry(since: UTCTimestamp(microsecondsSince1970: (day - 1) * UTCTimestamp.microsecondsPerDay),
                               pricePrecision: 1, qtyPrecision: 8, orderBookLevels: 10),
            dataDirectory: directory, pair: pair)
        let path = DailyFileName(kind: .trades, day: day).path(dataDirectory: directory, pair: pair)
        var bytes = TradeCSV.header
        bytes.reserveCapacity(trades * 90)
        var random = SeededRandomNumberGenerator(seed: 1)
        var price: Int64 = 673_211
        let step = UTCTimestamp.microsecondsPerDay / Int64(trades)
        for index in 0..<trades {
            price += Int64.random(in: -3...3, using: &random)
            let time = day * UTCTimestamp.microsecondsPerDay + Int64(index) * step
            TradeCSV.appendRow(
                to: &bytes, timestamp: UTCTimestamp(microsecondsSince1970: time),
                receivedAt: UTCTimestamp(microsecondsSince1970: time + 1_200), tradeID: UInt64(index + 1),
                side: index % 2 == 0 ? "buy" : "sell", price: ExactDecimal(units: price, scale: 1),
                qty: ExactDecimal(units: Int64.random(in: 1...500_000_000, using: &random), scale: 8),
                orderType: "limit")
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
