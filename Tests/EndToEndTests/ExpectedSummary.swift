/// What `bytebit view --summary` must report, computed by the test from the CSV rows alone: counts and
/// times by string comparison, money figures with `FixedPoint`, gaps by walking the ledger (SPEC §4.3).
struct ExpectedSummary {
    struct Gap {
        let start: String
        let end: String?
        let reason: String
        let detail: String
    }

    /// Events after which the book file has no trustworthy rows until the next `snapshot`.
    static let gapOpeningEvents: Set<String> = [
        "checksum_mismatch", "malformed_frame", "disconnected", "stale", "stopped", "maintenance",
    ]

    let bookRows: Int
    let tradeCount: Int
    let buyCount: Int
    let first: String
    let last: String
    let volume: FixedPoint
    let notional: FixedPoint
    /// Nil without trades (or spreads), as are the prices and spreads below.
    let vwap: FixedPoint?
    let open: String?
    let high: String?
    let low: String?
    let close: String?
    let spreadMedian: FixedPoint?
    let spreadP95: FixedPoint?
    let spreadMinimum: FixedPoint?
    let spreadMaximum: FixedPoint?
    let gaps: [Gap]

    /// From the day's rows, limited to `from ≤ timestamp < to` (full RFC 3339 texts) when given.
    init(book allBook: [[String]], trades allTrades: [[String]], events: [[String]], from: String? = nil, to: String? = nil) throws {
        let inWindow = { (row: [String]) in (from.map { row[0] >= $0 } ?? true) && (to.map { row[0] < $0 } ?? true) }
        let book = allBook.filter(inWindow)
        let trades = allTrades.filter(inWindow)
        bookRows = book.count
        tradeCount = trades.count
        buyCount = trades.filter { $0[3] == "buy" }.count
        let stamps = book.map(\.[0]) + trades.map(\.[0])
        first = stamps.min() ?? ""
        last = stamps.max() ?? ""

        let levels = RecordedDay.levels
        var spreads: [FixedPoint] = []
        for row in book {
            let bid = try FixedPoint.require(row[2 + 2 * (levels - 1) + 1])
            let ask = try FixedPoint.require(row[2 + 2 * levels + 2])
            spreads.append(ask - bid)
        }
        spreads.sort()
        // Nearest rank: the smallest spread with at least ⌈q·n⌉ rows at or below it.
        let rank = { (percent: Int) in max(1, (percent * spreads.count + 99) / 100) - 1 }
        spreadMedian = spreads.isEmpty ? nil : spreads[rank(50)]
        spreadP95 = spreads.isEmpty ? nil : spreads[rank(95)]
        spreadMinimum = spreads.first
        spreadMaximum = spreads.last

        var volume = FixedPoint.zero
        var notional = FixedPoint.zero
        var priceScale = 0
        var prices: [(text: String, value: FixedPoint)] = []
        for trade in trades {
            let price = try FixedPoint.require(trade[4])
            let qty = try FixedPoint.require(trade[5])
            volume = volume + qty
            notional = notional + price * qty
            priceScale = max(priceScale, price.scale)
            prices.append((trade[4], price))
        }
        self.volume = volume
        self.notional = notional
        // VWAP is printed with two digits more than the prices carry.
        vwap = volume.units == 0 ? nil : FixedPoint.quotient(notional, volume, digits: priceScale + 2)
        open = prices.first?.text
        close = prices.last?.text
        high = prices.max { $0.value < $1.value }?.text
        low = prices.min { $0.value < $1.value }?.text

        var gaps: [Gap] = []
        var opened: [String]?
        for event in events {
            if event[1] == "snapshot", let start = opened {
                gaps.append(Gap(start: start[0], end: event[0], reason: start[1], detail: start[2]))
                opened = nil
            } else if opened == nil, Self.gapOpeningEvents.contains(event[1]) {
                opened = event
            }
        }
        if let start = opened { gaps.append(Gap(start: start[0], end: nil, reason: start[1], detail: start[2])) }
        // A gap overlaps the window unless it starts at or after its end or ends at or before its start.
        self.gaps = gaps.filter { gap in
            if let to, gap.start >= to { return false }
            if let from, let end = gap.end, end <= from { return false }
            return true
        }
    }

    /// `--summary --format csv`: `metric,value` rows.
    func csvLines(pair: String, date: String) -> [String] {
        let spreadMedian = self.spreadMedian?.description ?? "", spreadP95 = self.spreadP95?.description ?? ""
        let vwap = self.vwap?.description ?? "", open = self.open ?? "", high = self.high ?? ""
        let low = self.low ?? "", close = self.close ?? ""
        var lines = [
            "metric,value", "pair,\(pair)", "date,\(date)", "orderbook_rows,\(bookRows)", "trade_count,\(tradeCount)",
            "first,\(first)", "last,\(last)", "spread_median,\(spreadMedian)", "spread_p95,\(spreadP95)",
            "volume,\(volume)", "notional,\(notional)", "vwap,\(vwap)",
            "open,\(open)", "high,\(high)", "low,\(low)", "close,\(close)", "gaps,\(gaps.count)",
        ]
        for (index, gap) in gaps.enumerated() {
            lines.append("gap_\(index + 1),\(gap.start) \(gap.end ?? "open") \(gap.reason)")
        }
        return lines
    }

    /// `--summary` as text, without the spread line's basis points and the chart lines after the gaps.
    func textLines(pair: String, date: String) -> [String] {
        let spreadMedian = self.spreadMedian?.description ?? "-", spreadP95 = self.spreadP95?.description ?? "-"
        let spreadMinimum = self.spreadMinimum?.description ?? "-", spreadMaximum = self.spreadMaximum?.description ?? "-"
        let vwap = self.vwap?.description ?? "-", open = self.open ?? "-", high = self.high ?? "-"
        let low = self.low ?? "-", close = self.close ?? "-"
        var lines = [
            "\(pair) \(date)",
            "rows       \(bookRows) order book, \(tradeCount) trades",
            "first      \(Self.timeOfDay(first))",
            "last       \(Self.timeOfDay(last))",
            "spread     median \(spreadMedian)  p95 \(spreadP95)  min \(spreadMinimum)  max \(spreadMaximum)",
            "trades     \(tradeCount) (\(buyCount) buy, \(tradeCount - buyCount) sell)",
            "volume     \(volume)",
            "notional   \(notional)",
            "vwap       \(vwap)",
            "ohlc       open \(open)  high \(high)  low \(low)  close \(close)",
            "gaps       \(gaps.count)",
        ]
        for gap in gaps {
            let end = gap.end.map(Self.timeOfDay) ?? "(open)"
            let duration = gap.end.flatMap { try? Self.duration(from: gap.start, to: $0) } ?? "until the end of the ledger"
            let detail = gap.detail.isEmpty ? "" : " (\(gap.detail))"
            lines.append("  \(Self.timeOfDay(gap.start)) – \(end)  \(duration)  \(gap.reason)\(detail)")
        }
        return lines
    }

    /// `13:05:30.123456` from `2026-11-21T13:05:30.123456Z`.
    static func timeOfDay(_ stamp: String) -> String {
        String(stamp.dropFirst(11).dropLast())
    }

    /// `1.016682s` for a gap shorter than a minute (the recording is a few seconds long).
    static func duration(from start: String, to end: String) throws -> String {
        let micros = try microsecondsOfDay(end) - microsecondsOfDay(start)
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)s"
    }

    private static func microsecondsOfDay(_ stamp: String) throws -> Int64 {
        let parts = timeOfDay(stamp).split(whereSeparator: { $0 == ":" || $0 == "." }).compactMap { Int64($0) }
        guard parts.count == 4 else { throw RecordingProblem("not a timestamp with microseconds: \(stamp)") }
        return ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1_000_000 + parts[3]
    }
}

extension FixedPoint {
    /// A cell that must be a number.
    static func require(_ text: String) throws -> FixedPoint {
        guard let value = FixedPoint(text) else { throw RecordingProblem("not a decimal: \"\(text)\"") }
        return value
    }
}
