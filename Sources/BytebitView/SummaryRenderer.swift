import BytebitCore

/// Prints a `DaySummary` for people (text with a chart), as `metric,value` CSV, or as one JSON object.
enum SummaryRenderer {
    static func text(_ summary: DaySummary, style: TerminalStyle) -> String {
        var lines: [String] = []
        let time = { (instant: UTCTimestamp?) in instant.map(DisplayText.timeOfDay) ?? "-" }
        var title = "\(summary.pair) \(summary.date)"
        if summary.window.from != nil || summary.window.to != nil {
            title += "  window \(time(summary.window.from ?? summary.date.start)) – "
                + (summary.window.to.map { $0 == summary.date.end ? "24:00:00.000000" : time($0) } ?? "24:00:00.000000")
        }
        lines.append(style.paint(title, .bold))
        lines.append("rows       \(summary.bookRows) order book, \(summary.trades.count) trades")
        lines.append("first      \(time(summary.first))")
        lines.append("last       \(time(summary.last))")
        if let missing = summary.bookMissing {
            lines.append("book       \(missing)")
        } else {
            let spread = summary.spreads
            var line = "spread     median \(spread.median?.description ?? "-")  p95 \(spread.p95?.description ?? "-")"
            line += "  min \(spread.minimum?.description ?? "-")  max \(spread.maximum?.description ?? "-")"
            if let bps = summary.medianSpreadBasisPoints { line += "  (median \(DisplayText.fixed(bps, digits: 2)) bps)" }
            lines.append(line)
        }
        if let missing = summary.tradesMissing {
            lines.append("trades     \(missing)")
        } else {
            let trades = summary.trades
            lines.append("trades     \(trades.count) (\(trades.buyCount) buy, \(trades.count - trades.buyCount) sell)")
            lines.append("volume     \(trades.volumeText)")
            lines.append("notional   \(trades.notionalText)")
            lines.append("vwap       \(trades.vwapText ?? "-")")
            lines.append("ohlc       open \(trades.open?.description ?? "-")  high \(trades.high?.description ?? "-")"
                + "  low \(trades.low?.description ?? "-")  close \(trades.close?.description ?? "-")")
        }
        if let missing = summary.eventsMissing {
            lines.append("gaps       unknown: \(missing)")
        } else {
            lines.append("gaps       \(summary.gaps.count)")
            for gap in summary.gaps {
                let end = gap.end.map(DisplayText.timeOfDay) ?? "(open)"
                let duration = gap.durationMicroseconds.map { TimeSpan(microseconds: $0).preciseText } ?? "until the end of the ledger"
                let detail = gap.detail.isEmpty ? "" : " (\(gap.detail))"
                lines.append("  \(DisplayText.timeOfDay(gap.start)) – \(end)  \(duration)  \(gap.reason)\(detail)")
            }
        }
        if let channels = channelsText(summary) { lines.append("channels   \(channels)") }
        lines += summary.chart.lines(width: style.width)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `ticker 5264 rows, ohlc 1m 89, ohlc 5m 18`; nil when the day has neither.
    static func channelsText(_ summary: DaySummary) -> String? {
        let parts = (summary.tickerRows.map { ["ticker \($0) rows"] } ?? [])
            + summary.ohlcRows.map { "ohlc \($0.interval) \($0.rows)" }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    static func json(_ summary: DaySummary) -> String {
        let trades = summary.trades
        func stamp(_ instant: UTCTimestamp?) -> String { instant.map { "\"\($0)\"" } ?? "null" }
        func number(_ text: String?) -> String { text ?? "null" }
        let gaps = summary.gaps.map { gap in
            "{\"start\":\"\(gap.start)\",\"end\":\(stamp(gap.end)),\"duration_us\":\(gap.durationMicroseconds.map(String.init) ?? "null")"
                + ",\"reason\":\(JSONString.quoted(gap.reason)),\"detail\":\(JSONString.quoted(gap.detail))}"
        }
        var fields: [String] = [
            "\"pair\":\"\(summary.pair)\"",
            "\"date\":\"\(summary.date)\"",
            "\"from\":\(stamp(summary.window.from))",
            "\"to\":\(stamp(summary.window.to))",
            "\"orderbook_rows\":\(summary.bookRows)",
            "\"trade_count\":\(trades.count)",
            "\"first\":\(stamp(summary.first))",
            "\"last\":\(stamp(summary.last))",
            "\"spread_median\":\(DisplayText.jsonNumber(summary.spreads.median))",
            "\"spread_p95\":\(DisplayText.jsonNumber(summary.spreads.p95))",
        ]
        if summary.tradesMissing == nil {
            fields += [
                "\"volume\":\(trades.volumeText)",
                "\"notional\":\(trades.notionalText)",
                "\"vwap\":\(number(trades.vwapText))",
                "\"open\":\(DisplayText.jsonNumber(trades.open))",
                "\"high\":\(DisplayText.jsonNumber(trades.high))",
                "\"low\":\(DisplayText.jsonNumber(trades.low))",
                "\"close\":\(DisplayText.jsonNumber(trades.close))",
            ]
        }
        if let rows = summary.tickerRows { fields.append("\"ticker_rows\":\(rows)") }
        if !summary.ohlcRows.isEmpty {
            fields.append("\"ohlc_rows\":{" + summary.ohlcRows.map { "\"\($0.interval)\":\($0.rows)" }.joined(separator: ",") + "}")
        }
        fields.append("\"gaps\":" + (summary.eventsMissing == nil ? "[" + gaps.joined(separator: ",") + "]" : "null"))
        return "{" + fields.joined(separator: ",") + "}\n"
    }

    static func csv(_ summary: DaySummary) -> String {
        let trades = summary.trades
        var rows: [(String, String)] = [
            ("pair", summary.pair), ("date", summary.date.description),
            ("orderbook_rows", "\(summary.bookRows)"), ("trade_count", "\(trades.count)"),
            ("first", summary.first?.description ?? ""), ("last", summary.last?.description ?? ""),
            ("spread_median", summary.spreads.median?.description ?? ""),
            ("spread_p95", summary.spreads.p95?.description ?? ""),
            ("volume", trades.volumeText), ("notional", trades.notionalText), ("vwap", trades.vwapText ?? ""),
            ("open", trades.open?.description ?? ""), ("high", trades.high?.description ?? ""),
            ("low", trades.low?.description ?? ""), ("close", trades.close?.description ?? ""),
            ("gaps", "\(summary.gaps.count)"),
        ]
        if let tickerRows = summary.tickerRows { rows.append(("ticker_rows", "\(tickerRows)")) }
        rows += summary.ohlcRows.map { ("ohlc_\($0.interval)_rows", "\($0.rows)") }
        for (index, gap) in summary.gaps.enumerated() {
            rows.append(("gap_\(index + 1)", "\(gap.start) \(gap.end?.description ?? "open") \(gap.reason)"))
        }
        return "metric,value\n" + rows.map { "\($0.0),\($0.1)" }.joined(separator: "\n") + "\n"
    }
}
