import BytebitCore

extension ViewRunner {
    /// `--summary`: statistics over the window from the order book, trades and events files of the day.
    func summarize(_ request: ViewRequest, output: ViewOutput) throws -> ViewReport {
        var summary = DaySummary(pair: request.pair, date: request.date, window: request.window)
        var report = ViewReport()
        let date = request.date.description
        var firstError: ViewError?

        do {
            let file = try dataDirectory.file(pair: request.pair, kind: .orderbook, date: date)
            let scanner = try RecordScanner(path: file.path, kind: .orderbook, window: request.window)
            guard let layout = scanner.bookLayout else { throw ViewError.unexpectedHeader(path: file.path, found: "") }
            _ = try scanner.scan { fields, line, _ in
                fields.split(line)
                switch fields.bookRow(layout: layout, levelsWanted: 1) {
                case let .success(row):
                    summary.record(row)
                    return .accepted
                case let .failure(defect):
                    return .rejected(defect)
                }
            }
            report.absorb(scanner)
        } catch let error as ViewError {
            if case .unknownPair = error { throw error }
            firstError = error
            summary.bookMissing = error.description
        }

        do {
            let file = try dataDirectory.file(pair: request.pair, kind: .trades, date: date)
            let scanner = try RecordScanner(path: file.path, kind: .trades, window: request.window)
            _ = try scanner.scan { fields, line, _ in
                fields.split(line)
                switch fields.tradeRow() {
                case let .success(trade):
                    if request.tradeFilter.admits(trade) { summary.record(trade) }
                    return .accepted
                case let .failure(defect):
                    return .rejected(defect)
                }
            }
            report.absorb(scanner)
        } catch let error as ViewError {
            if let firstError { throw firstError }
            summary.tradesMissing = error.description
        }

        do {
            let file = try dataDirectory.file(pair: request.pair, kind: .events, date: date)
            // The whole ledger: a gap that began before the window still overlaps it.
            let scanner = try RecordScanner(path: file.path, kind: .events, window: TimeWindow())
            var ledger = GapLedger()
            _ = try scanner.scan { _, line, _ in
                switch eventRow(line) {
                case let .success(event):
                    ledger.record(event)
                    return .accepted
                case let .failure(defect):
                    return .rejected(defect)
                }
            }
            report.absorb(scanner)
            summary.gaps = ledger.gaps(overlapping: request.window)
        } catch let error as ViewError {
            summary.eventsMissing = error.description
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
}
