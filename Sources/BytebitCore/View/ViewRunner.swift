/// Runs `bytebit view`: finds the day file, streams the rows of the window through the filters into the
/// chosen format, or summarises them. Drives no terminal itself: output and follow control are injected.
public struct ViewRunner {
    public let dataDirectory: DataDirectory
    public let style: TerminalStyle

    public init(dataDirectory: DataDirectory, style: TerminalStyle) {
        self.dataDirectory = dataDirectory
        self.style = style
    }

    /// Shows what `request` asks for on `output`. Throws when there is nothing to show (exit 1);
    /// corrupt rows are skipped and listed in the report.
    public func run(_ request: ViewRequest, output: ViewOutput, follow: FollowControl? = nil) throws -> ViewReport {
        if request.showsSummary {
            return try summarize(request, output: output)
        }
        let kind: RecordKind = request.showsTrades ? .trades : .orderbook
        var file = try dataDirectory.file(pair: request.pair, kind: kind, date: request.date.description)
        var scanner = try RecordScanner(
            path: file.path, kind: kind, window: request.window,
            tailSpan: request.tail.map { Self.initialTailSpan(rows: $0) }
        )
        var report = ViewReport()
        var shown = 0
        let tailCount = request.tail
        var kept = TailBuffer(capacity: tailCount ?? 0)
        let isFollowing = request.follows && follow != nil

        var bookRenderer: BookRenderer?
        var tradeRenderer: TradeRenderer?
        func makeRenderers(for scanner: RecordScanner) {
            if let layout = scanner.bookLayout {
                bookRenderer = BookRenderer(
                    format: request.format, style: style, fileLayout: layout, levels: request.levels, output: output
                )
            } else if tradeRenderer == nil {
                tradeRenderer = TradeRenderer(format: request.format, style: style, output: output)
            }
        }
        makeRenderers(for: scanner)

        // Checks, filters and writes one row (or keeps it for --tail).
        func handle(_ fields: inout CSVFields, _ line: UnsafeBufferPointer<UInt8>, keeping: Bool) -> RecordScanner.Verdict {
            if let limit = request.limit, shown >= limit { return .stop }
            if output.isClosed { return .stop }
            if let tradeRenderer {
                fields.split(line)
                let trade: TradeRow
                switch fields.tradeRow() {
                case let .success(parsed): trade = parsed
                case let .failure(defect): return .rejected(defect)
                }
                guard request.tradeFilter.admits(trade) else { return .accepted }
                if keeping {
                    kept.append(line)
                } else {
                    tradeRenderer.render(trade, line: line)
                    shown += 1
                }
                return .accepted
            }
            guard let bookRenderer, let layout = scanner.bookLayout else { return .stop }
            if keeping {
                if let defect = BookLineCheck.defect(in: line, layout: layout) { return .rejected(defect) }
                kept.append(line)
                return .accepted
            }
            if let defect = bookRenderer.render(&fields, line: line) { return .rejected(defect) }
            shown += 1
            return .accepted
        }

        var end = try scanner.scan(reportTornTail: !isFollowing) { fields, line, _ in
            handle(&fields, line, keeping: tailCount != nil)
        }
        // --tail on a plain file: read only its end, widening the span until N rows are found (filters may
        // drop rows) or the span reaches the window's start.
        if let tailCount, !scanner.coversWindowStart, kept.count < tailCount {
            var span = Self.initialTailSpan(rows: tailCount)
            repeat {
                span *= 8
                _ = scanner.takeCorruptRows()
                scanner = try RecordScanner(path: file.path, kind: kind, window: request.window, tailSpan: span)
                kept = TailBuffer(capacity: tailCount)
                end = try scanner.scan(reportTornTail: !isFollowing) { fields, line, _ in
                    handle(&fields, line, keeping: true)
                }
            } while kept.count < tailCount && !scanner.coversWindowStart
        }
        if tailCount != nil {
            var fields = CSVFields()
            for line in kept.lines {
                line.withUnsafeBufferPointer { bytes in
                    fields.split(bytes)
                    _ = handle(&fields, bytes, keeping: false)
                }
            }
        }
        report.absorb(scanner)
        guard scanner.hasDataRows || isFollowing else {
            throw ViewError.noRows(path: file.path, reason: "it holds only the header")
        }

        func finishTables() {
            bookRenderer?.finish()
            tradeRenderer?.finish()
        }
        finishTables()

        // --follow: like tail -f; when the UTC day is over and the next day's file appears, continue there.
        if isFollowing, let follow {
            while end == .endOfFile, !output.isClosed {
                finishTables()
                output.flush()
                let today = CalendarDate(containing: follow.clock.now())
                if today > CalendarDate(file.date) ?? today,
                   let nextDate = CalendarDate(file.date)?.next,
                   let next = try? dataDirectory.file(pair: request.pair, kind: kind, date: nextDate.description),
                   let nextScanner = try? RecordScanner(path: next.path, kind: kind, window: TimeWindow(to: request.window.to)) {
                    // Rows the collector wrote to the old file just before switching still belong to it.
                    _ = try scanner.scan { fields, line, _ in handle(&fields, line, keeping: false) }
                    report.absorb(scanner)
                    finishTables()
                    file = next
                    scanner = nextScanner
                    makeRenderers(for: scanner)
                } else if !follow.waitForMoreData() {
                    break
                }
                end = try scanner.scan(reportTornTail: false) { fields, line, _ in
                    handle(&fields, line, keeping: false)
                }
            }
            finishTables()
            report.absorb(scanner)
        }
        if shown == 0, !isFollowing, report.corruptRowCount == 0 {
            throw ViewError.noMatchingRows(pair: request.pair, date: request.date.description)
        }
        output.flush()
        report.rowsShown = shown
        return report
    }

    /// Bytes read first for `--tail N`: room for N long order book rows.
    static func initialTailSpan(rows: Int) -> Int64 {
        max(64 * 1024, Int64(rows) * 4096)
    }

    /// `--summary`: statistics over the window from the order book, trades and events files of the day.
    func summarize(_ request: ViewRequest, output: ViewOutput) throws -> ViewReport {
        var summary = DaySummary(pair: request.pair, date: request.date, window: request.window)
        var report = ViewReport()
        let date = request.date.description
        var firstError: ViewError?
        var midSum = 0.0
        var midCount = 0

        do {
            let file = try dataDirectory.file(pair: request.pair, kind: .orderbook, date: date)
            let scanner = try RecordScanner(path: file.path, kind: .orderbook, window: request.window)
            guard let layout = scanner.bookLayout else { throw ViewError.unexpectedHeader(path: file.path, found: "") }
            _ = try scanner.scan { fields, line, _ in
                fields.split(line)
                switch fields.bookRow(layout: layout, levelsWanted: 1) {
                case let .success(row):
                    summary.record(row)
                    if let mid = row.mid {
                        midSum += ViewMath.approximate(mid)
                        midCount += 1
                    }
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

        if let median = summary.spreads.median, midCount > 0 {
            summary.medianSpreadBasisPoints = ViewMath.approximate(median) / (midSum / Double(midCount)) * 10_000
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

/// The last N lines seen, copied (for `--tail`): memory is N rows whatever the file size.
struct TailBuffer {
    private var storage: [[UInt8]] = []
    private var next = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Lines kept so far (at most `capacity`).
    var count: Int { storage.count }

    mutating func append(_ line: UnsafeBufferPointer<UInt8>) {
        guard capacity > 0 else { return }
        if storage.count < capacity {
            storage.append(Array(line))
        } else {
            storage[next] = Array(line)
            next = (next + 1) % capacity
        }
    }

    /// The kept lines, oldest first.
    var lines: [[UInt8]] { Array(storage[next...] + storage[..<next]) }
}
