import BytebitCore

extension ViewRunner {
    /// `--summary`: statistics over the window from the order book, trades and events files of the day
    /// (every file of each: layout files and late rows beside a gzip included).
    func summarize(_ request: ViewRequest, output: ViewOutput) throws -> ViewReport {
        var summary = DaySummary(pair: request.pair, date: request.date, window: request.window)
        var report = ViewReport()
        let date = request.date.description
        var firstError: ViewError?

        do {
            let day = try dataDirectory.day(pair: request.pair, kind: .orderBook, date: date)
            try Self.scan(day, window: request.window, report: &report) { scanner, fields, line in
                guard let layout = scanner.bookLayout else { return .stop }
                fields.split(line)
                switch fields.bookRow(layout: layout, levelsWanted: 1) {
                case let .success(row):
                    summary.record(row)
                    return .accepted
                case let .failure(defect):
                    return .rejected(defect)
                }
            }
        } catch let error as ViewError {
            if case .unknownPair = error { throw error }
            firstError = error
            summary.bookMissing = error.description
        }

        do {
            let day = try dataDirectory.day(pair: request.pair, kind: .trades, date: date)
            try Self.scan(day, window: request.window, report: &report) { _, fields, line in
                fields.split(line)
                switch fields.tradeRow() {
                case let .success(trade):
                    if request.tradeFilter.admits(trade) { summary.record(trade) }
                    return .accepted
                case let .failure(defect):
                    return .rejected(defect)
                }
            }
        } catch let error as ViewError {
            if let firstError { throw firstError }
            summary.tradesMissing = error.description
        }

        do {
            let day = try dataDirectory.day(pair: request.pair, kind: .events, date: date)
            // The whole ledger: a gap that began before the window still overlaps it.
            var ledger = GapLedger()
            try Self.scan(day, window: TimeWindow(), report: &report) { _, _, line in
                ledger.record(line: line)
            }
            summary.gaps = ledger.gaps(overlapping: request.window)
        } catch let error as ViewError {
            summary.eventsMissing = error.description
        }

        // Ticker and Kraken's candles (SPEC §10): counted when the day has their files.
        summary.tickerRows = try? Self.count(dataDirectory.day(pair: request.pair, kind: .ticker, date: date), request, &report)
        for interval in OHLCInterval.allCases {
            if let rows = try? Self.count(
                dataDirectory.day(pair: request.pair, kind: .ohlc(interval), date: date), request, &report)
            {
                summary.ohlcRows.append((interval, rows))
            }
        }

        switch request.format {
        case .table: output.append(SummaryRenderer.text(summary, style: style))
        case .json: output.append(SummaryRenderer.json(summary))
        case .csv: output.append(SummaryRenderer.csv(summary))
        }
        output.flush()
        report.rowsShown = summary.bookRows + summary.trades.count
        return report
    }

    /// The rows of `day` in the request's window.
    static func count(_ day: DataDirectory.DayFiles, _ request: ViewRequest, _ report: inout ViewReport) throws -> Int {
        var rows = 0
        try scan(day, window: request.window, report: &report) { _, _, _ in
            rows += 1
            return .accepted
        }
        return rows
    }

    /// Scans every file of `day` in turn with `handle`, collecting corrupt rows into `report`.
    static func scan(
        _ day: DataDirectory.DayFiles, window: TimeWindow, report: inout ViewReport,
        _ handle: (RecordScanner, inout CSVFields, UnsafeBufferPointer<UInt8>) -> RecordScanner.Verdict
    ) throws {
        for file in day.files {
            let scanner = try RecordScanner(path: file.path, kind: day.kind, window: window)
            _ = try scanner.scan { fields, line, _ in handle(scanner, &fields, line) }
            report.absorb(scanner)
        }
    }
}
