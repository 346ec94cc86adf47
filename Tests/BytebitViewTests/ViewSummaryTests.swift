import Testing
@testable import BytebitView
import BytebitCore

/// `--summary`: the figures are recomputed here from the sample rows with plain integer arithmetic.
@Suite struct ViewSummaryTests {
    /// Prices in tenths and quantities in 1e-8 units, read from the sample trades.
    private static func integerTrades(_ trades: [(String, Int, String, String, String)]) -> [(price: Int, qty: Int)] {
        trades.map { trade in
            let price = Int(trade.3.replacingOccurrences(of: ".", with: "")) ?? -1
            let qty = Int(trade.4.replacingOccurrences(of: ".", with: "")) ?? -1
            return (price, qty)
        }
    }

    private static func decimalText(_ units: Int, scale: Int) -> String {
        let digits = String(units)
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        return String(padded.dropLast(scale)) + "." + String(padded.suffix(scale))
    }

    /// (start, end, reason, detail) per SPEC §4.3, recomputed from the ledger text.
    private static func expectedGaps(_ ledger: String) -> [(String, String?, String, String)] {
        let opening: Set<String> = [
            "checksum_mismatch", "malformed_frame", "disconnected", "stale", "stopped", "write_failed", "maintenance",
        ]
        var gaps: [(String, String?, String, String)] = []
        var open: (String, String, String)?
        for line in ledger.split(separator: "\n").dropFirst() {
            let parts = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            let detail = parts.count > 2 ? parts[2].replacingOccurrences(of: "\"", with: "") : ""
            if parts[1] == "snapshot", let gap = open {
                gaps.append((gap.0, parts[0], gap.1, gap.2))
                open = nil
            } else if open == nil, opening.contains(parts[1]) {
                open = (parts[0], parts[1], detail)
            }
        }
        if let gap = open { gaps.append((gap.0, nil, gap.1, gap.2)) }
        return gaps
    }

    private static func sampleDirectory() throws -> ViewDataDirectory {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.book, kind: .orderBook)
        try data.write(ViewSamples.tradeFile, kind: .trades, gzip: true)
        try data.write(ViewSamples.events, kind: .events)
        return data
    }

    @Test func summaryTextReportsRowsTradesVWAPOHLCSpreadAndGaps() throws {
        let data = try Self.sampleDirectory()
        var request = ViewSamples.request()
        request.showsSummary = true
        let (output, result) = data.view(request)
        #expect(try result.get().corruptRowCount == 0)

        let trades = Self.integerTrades(ViewSamples.trades)
        let volume = trades.reduce(0) { $0 + $1.qty }
        let notional = trades.reduce(0) { $0 + $1.price * $1.qty }       // scale 1 + 8 = 9
        // VWAP to 3 digits: notional/1e9 ÷ volume/1e8 × 1e3 = notional × 100 / volume, rounded half up.
        let vwap = (notional * 100 * 2 + volume) / (volume * 2)
        let prices = trades.map(\.price)
        let gaps = Self.expectedGaps(ViewSamples.events)
        #expect(gaps.count == 3)
        let gapLines = gaps.map { gap -> String in
            let start = String(gap.0.dropFirst(11).dropLast())
            guard let endText = gap.1 else {
                return "  \(start) – (open)  until the end of the ledger  \(gap.2) (\(gap.3))"
            }
            let micros = (UTCTimestamp(endText)?.microseconds ?? 0) - (UTCTimestamp(gap.0)?.microseconds ?? 0)
            let seconds = Self.decimalText(Int(micros % 60_000_000), scale: 6)
            let duration = micros >= 60_000_000
                ? "\(micros / 60_000_000)m \(seconds.count < 9 ? "0" + seconds : seconds)s" : "\(seconds)s"
            let detail = gap.3.isEmpty ? "" : " (\(gap.3))"
            return "  \(start) – \(String(endText.dropFirst(11).dropLast()))  \(duration)  \(gap.2)\(detail)"
        }
        let expected = [
            "BTC-USD 2026-11-21",
            "rows       3 order book, 5 trades",
            "first      13:00:00.000000",
            "last       13:00:04.000000",
            // spreads 0.1, 0.2, 0.3: nearest-rank median is the 2nd, p95 the 3rd; 0.2 / 67321.1 × 1e4 = 0.0297 bps.
            "spread     median 0.2  p95 0.3  min 0.1  max 0.3  (median 0.03 bps)",
            "trades     5 (3 buy, 2 sell)",
            "volume     \(Self.decimalText(volume, scale: 8))",
            "notional   \(Self.decimalText(notional, scale: 9))",
            "vwap       \(Self.decimalText(vwap, scale: 3))",
            "ohlc       open \(Self.decimalText(prices[0], scale: 1))  high \(Self.decimalText(prices.max() ?? 0, scale: 1))"
                + "  low \(Self.decimalText(prices.min() ?? 0, scale: 1))  close \(Self.decimalText(prices[4], scale: 1))",
            "gaps       \(gaps.count)",
        ] + gapLines
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(lines.prefix(expected.count)) == expected)
        let chart = lines.dropFirst(expected.count).filter { !$0.isEmpty }
        #expect(chart.count == 2)
        #expect(chart.first?.hasPrefix("mid     ") == true)
        #expect(chart.last?.hasPrefix("volume  ") == true)
    }

    @Test func summaryOverAWindowCountsOnlyItsRowsAndOverlappingGaps() throws {
        let data = try Self.sampleDirectory()
        let date = try #require(CalendarDate(ViewSamples.day))
        var request = ViewRequest(pair: "BTC-USD", date: date, window: try TimeWindow(from: "13:00:01", to: "13:00:03", on: date))
        request.showsSummary = true
        request.format = .json
        let (output, _) = data.view(request)
        let inWindow = ViewSamples.trades.filter { $0.0 >= "2026-11-21T13:00:01" && $0.0 < "2026-11-21T13:00:03" }
        let trades = Self.integerTrades(inWindow)
        let volume = trades.reduce(0) { $0 + $1.qty }
        let notional = trades.reduce(0) { $0 + $1.price * $1.qty }
        let vwap = (notional * 100 * 2 + volume) / (volume * 2)
        let gap = try #require(Self.expectedGaps(ViewSamples.events).first)
        #expect(output == "{\"pair\":\"BTC-USD\",\"date\":\"2026-11-21\",\"from\":\"2026-11-21T13:00:01.000000Z\","
            + "\"to\":\"2026-11-21T13:00:03.000000Z\",\"orderbook_rows\":1,\"trade_count\":\(trades.count),"
            + "\"first\":\"2026-11-21T13:00:01.000000Z\",\"last\":\"2026-11-21T13:00:02.500000Z\","
            + "\"spread_median\":0.2,\"spread_p95\":0.2,"
            + "\"volume\":\(Self.decimalText(volume, scale: 8)),\"notional\":\(Self.decimalText(notional, scale: 9)),"
            + "\"vwap\":\(Self.decimalText(vwap, scale: 3)),\"open\":67321.0,\"high\":67321.4,\"low\":67320.8,\"close\":67320.8,"
            + "\"gaps\":[{\"start\":\"\(gap.0)\",\"end\":\"\(gap.1 ?? "")\",\"duration_us\":1150000,"
            + "\"reason\":\"\(gap.2)\",\"detail\":\"\(gap.3)\"}]}\n")
    }

    @Test func summaryCSVIsOneMetricPerLine() throws {
        let data = try Self.sampleDirectory()
        var request = ViewSamples.request(format: .csv)
        request.showsSummary = true
        request.tradeFilter = TradeFilter(side: .buy)
        let (output, _) = data.view(request)
        let buys = Self.integerTrades(ViewSamples.trades.filter { $0.2 == "buy" })
        let volume = buys.reduce(0) { $0 + $1.qty }
        let notional = buys.reduce(0) { $0 + $1.price * $1.qty }
        let vwap = (notional * 100 * 2 + volume) / (volume * 2)
        let gaps = Self.expectedGaps(ViewSamples.events)
        let expected = [
            "metric,value", "pair,BTC-USD", "date,2026-11-21", "orderbook_rows,3", "trade_count,\(buys.count)",
            "first,2026-11-21T13:00:00.000000Z", "last,2026-11-21T13:00:04.000000Z",
            "spread_median,0.2", "spread_p95,0.3",
            "volume,\(Self.decimalText(volume, scale: 8))", "notional,\(Self.decimalText(notional, scale: 9))",
            "vwap,\(Self.decimalText(vwap, scale: 3))",
            "open,67321.1", "high,67321.4", "low,67321.1", "close,67321.2", "gaps,\(gaps.count)",
        ] + gaps.enumerated().map { index, gap in "gap_\(index + 1),\(gap.0) \(gap.1 ?? "open") \(gap.2)" }
        #expect(output == expected.joined(separator: "\n") + "\n")
    }

    @Test func gapLedgerFollowsSpecRules() throws {
        var ledger = GapLedger()
        let rows: [(String, String)] = [
            ("2026-11-21T00:00:01Z", "snapshot"), ("2026-11-21T00:00:02Z", "stale"),
            ("2026-11-21T00:00:03Z", "disconnected"), ("2026-11-21T00:00:04Z", "resync"),
            ("2026-11-21T00:00:05Z", "snapshot"), ("2026-11-21T00:00:06Z", "trade_gap"),
            ("2026-11-21T00:00:07Z", "write_failed"),
        ]
        for (time, event) in rows {
            ledger.record(EventRow(timestamp: try #require(UTCTimestamp(time)), event: event, detail: ""))
        }
        // The first opening event names the gap; a later one inside it does not start another.
        #expect(ledger.allGaps.map(\.reason) == ["stale", "write_failed"])
        #expect(ledger.allGaps.map(\.durationMicroseconds) == [3_000_000, nil])
    }

    @Test func spreadQuantilesAreNearestRank() throws {
        var spreads = SpreadStatistics()
        for units in [5, 1, 1, 2, 1, 1, 1, 1, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 9] {
            spreads.record(ExactDecimal(units: Int64(units), scale: 1))
        }
        // 20 values: rank 10 is 0.1 (14 ones), rank 19 (ceil 0.95·20) is 0.5.
        #expect(spreads.median == ExactDecimal("0.1"))
        #expect(spreads.p95 == ExactDecimal("0.5"))
        #expect(spreads.maximum == ExactDecimal("0.9"))
    }

    @Test func chartRisesWithTheMidAndScalesToTheWidth() throws {
        var chart = SparkChart()
        let start = try #require(UTCTimestamp("2026-11-21T00:00:00Z"))
        for step in 0..<8 {
            let instant = UTCTimestamp(microsecondsSince1970: start.microseconds + Int64(step) * 3_600_000_000)
            chart.recordMid(ExactDecimal(units: Int64(100 + step), scale: 0), at: instant)
        }
        let lines = chart.lines(width: 40)
        let mid = try #require(lines.first)
        #expect(mid.hasPrefix("mid     ▁"))
        #expect(mid.contains("█"))
        #expect(mid.count <= 40)
    }
}
