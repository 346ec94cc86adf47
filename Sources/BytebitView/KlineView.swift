import BytebitCore

/// `bytebit view PAIR --klines 1m`: a day's candles of one interval as a table, the file's CSV or JSON
/// lines, or (`--summary`) the day's candle statistics with a small chart of close and volume. A day
/// holds at most 1440 candles, so the rows are read whole before they are shown.
struct KlineView {
    let dataDirectory: DataDirectory
    let style: TerminalStyle

    func run(_ request: ViewRequest, interval: KlineInterval, output: ViewOutput) throws -> ViewReport {
        let day = try dataDirectory.day(pair: request.pair, kind: .klines(interval), date: request.date.description)
        var report = ViewReport()
        var rows: [(row: KlineRow, line: String)] = []
        var sawRows = false
        for file in day.files {
            let scanner = try RecordScanner(path: file.path, kind: .klines(interval), window: request.window)
            _ = try scanner.scan { fields, line, _ in
                fields.split(line)
                switch fields.klineRow() {
                case .success(let row):
                    rows.append((row, String(decoding: line, as: UTF8.self)))
                    return .accepted
                case .failure(let defect):
                    return .rejected(defect)
                }
            }
            sawRows = sawRows || scanner.hasDataRows
            report.absorb(scanner)
        }
        guard sawRows else { throw ViewError.noRows(path: day.path, reason: "it holds only the header") }
        if let limit = request.limit { rows = Array(rows.prefix(limit)) }
        if let tail = request.tail { rows = Array(rows.suffix(tail)) }
        guard !rows.isEmpty || report.corruptRowCount > 0 else {
            throw ViewError.noMatchingRows(pair: request.pair, date: request.date.description)
        }
        if request.showsSummary {
            output.append(summary(rows.map(\.row), request: request, interval: interval))
        } else {
            render(rows, format: request.format, output: output)
        }
        output.flush()
        report.rowsShown = rows.count
        return report
    }

    private func render(_ rows: [(row: KlineRow, line: String)], format: OutputFormat, output: ViewOutput) {
        switch format {
        case .csv:
            output.append(KlineCSV.columns.joined(separator: ",") + "\n")
            for entry in rows { output.append(entry.line + "\n") }
        case .json:
            for entry in rows {
                let row = entry.row
                output.withBuffer { bytes in
                    var object = JSONLineWriter.open(&bytes)
                    object.timestamp("interval_begin", row.intervalBegin, &bytes)
                    object.number("open", row.open, &bytes)
                    object.number("high", row.high, &bytes)
                    object.number("low", row.low, &bytes)
                    object.number("close", row.close, &bytes)
                    object.key("volume", &bytes)
                    bytes.append(contentsOf: (row.volume.isEmpty ? "null" : row.volume).utf8)
                    object.key("vwap", &bytes)
                    bytes.append(contentsOf: (row.vwap.isEmpty ? "null" : row.vwap).utf8)
                    object.integer("trades", Int64(row.trades), &bytes)
                    object.key("complete", &bytes)
                    bytes.append(contentsOf: (row.complete ? "true" : "false").utf8)
                    object.close(&bytes)
                }
            }
        case .table:
            let table = TableFormatter(columns: [
                TableColumn(title: "begin", isRightAligned: false, priority: 9),
                TableColumn(title: "open", isRightAligned: true, priority: 7),
                TableColumn(title: "high", isRightAligned: true, priority: 6),
                TableColumn(title: "low", isRightAligned: true, priority: 6),
                TableColumn(title: "close", isRightAligned: true, priority: 8),
                TableColumn(title: "volume", isRightAligned: true, priority: 5),
                TableColumn(title: "vwap", isRightAligned: true, priority: 4),
                TableColumn(title: "trades", isRightAligned: true, priority: 5),
                TableColumn(title: "complete", isRightAligned: false, priority: 7),
            ], style: style)
            for entry in rows {
                let row = entry.row
                let colour: TerminalStyle.Colour = row.close >= row.open ? .green : .red
                output.append(table.lines(for: [
                    TableCell(DisplayText.timeOfDay(row.intervalBegin), .dim),
                    TableCell(row.open.description), TableCell(row.high.description), TableCell(row.low.description),
                    TableCell(row.close.description, colour), TableCell(row.volume), TableCell(row.vwap),
                    TableCell("\(row.trades)"), row.complete ? TableCell("yes") : TableCell("no (gap)", .red),
                ]))
            }
            output.append(table.drain())
        }
    }

    /// Candles, incomplete ones, trades, the day's OHLC over the candles, and a chart of close and volume.
    private func summary(_ rows: [KlineRow], request: ViewRequest, interval: KlineInterval) -> String {
        guard let first = rows.first, let last = rows.last else { return "" }
        let incomplete = rows.filter { !$0.complete }.count
        let trades = rows.reduce(0) { $0 + $1.trades }
        let high = rows.map(\.high).max() ?? first.high
        let low = rows.map(\.low).min() ?? first.low
        var chart = SparkChart()
        for row in rows {
            chart.recordMid(row.close, at: row.intervalBegin)
            if let volume = ExactDecimal(row.volume) { chart.recordTrade(qty: volume, at: row.intervalBegin) }
        }
        var lines = [
            "\(request.pair) \(request.date) \(interval) candles",
            "candles     \(rows.count) (\(incomplete) incomplete: overlapping a gap)",
            "first/last  \(first.intervalBegin) – \(last.intervalBegin)",
            "trades      \(trades)",
            "open/close  \(first.open) → \(last.close)",
            "high/low    \(high) / \(low)",
        ]
        lines += chart.lines(width: style.width).map { $0.replacingOccurrences(of: "mid     ", with: "close   ") }
        return lines.joined(separator: "\n") + "\n"
    }
}
