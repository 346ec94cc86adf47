import BytebitCore

/// One `view` run over rows: the file being read, the renderer, the --limit/--tail state and the report.
final class RowSession {
    private let request: ViewRequest
    private let dataDirectory: DataDirectory
    private let style: TerminalStyle
    private let output: ViewOutput
    private let kind: RecordKind
    private var file: DataDirectory.DayFile
    private var scanner: RecordScanner
    private var bookRenderer: BookRenderer?
    private var tradeRenderer: TradeRenderer?
    private var kept: TailBuffer
    private var shown = 0
    private var report = ViewReport()

    init(request: ViewRequest, dataDirectory: DataDirectory, style: TerminalStyle, output: ViewOutput) throws {
        self.request = request
        self.dataDirectory = dataDirectory
        self.style = style
        self.output = output
        kind = request.showsTrades ? .trades : .orderbook
        file = try dataDirectory.file(pair: request.pair, kind: kind, date: request.date.description)
        scanner = try RecordScanner(
            path: file.path, kind: kind, window: request.window,
            tailSpan: request.tail.map { Self.initialTailSpan(rows: $0) }
        )
        kept = TailBuffer(capacity: request.tail ?? 0)
        makeRenderers()
    }

    /// Bytes read first for `--tail N`: room for N long order book rows.
    static func initialTailSpan(rows: Int) -> Int64 {
        max(64 * 1024, Int64(rows) * 4096)
    }

    /// Shows the window's rows (or its last N with --tail). A torn last line is left alone when following:
    /// it is a row still being written.
    func showRows(isFollowing: Bool) throws -> RecordScanner.End {
        guard let tailCount = request.tail else {
            return try scanner.scan(reportTornTail: !isFollowing) { fields, line, _ in handle(&fields, line) }
        }
        var end = try scanner.scan(reportTornTail: !isFollowing) { fields, line, _ in keep(&fields, line) }
        // A plain file is read from near its end: widen the span until N rows pass the filters or the span
        // reaches the window's start.
        var span = Self.initialTailSpan(rows: tailCount)
        while kept.count < tailCount, !scanner.coversWindowStart {
            span *= 8
            _ = scanner.takeCorruptRows()
            scanner = try RecordScanner(path: file.path, kind: kind, window: request.window, tailSpan: span)
            kept = TailBuffer(capacity: tailCount)
            end = try scanner.scan(reportTornTail: !isFollowing) { fields, line, _ in keep(&fields, line) }
        }
        var fields = CSVFields()
        for line in kept.lines {
            line.withUnsafeBufferPointer { bytes in _ = handle(&fields, bytes) }
        }
        return end
    }

    /// Like `tail -f`: waits for rows appended to the file; when the UTC day is over and the next day's
    /// file appears, finishes the old file and continues in the new one.
    func follow(from end: RecordScanner.End, control: FollowControl) throws -> RecordScanner.End {
        var end = end
        while end == .endOfFile, !output.isClosed {
            finishTables()
            output.flush()
            if let next = try nextDayScanner(now: control.clock.now()) {
                // Rows the collector wrote to the old file just before switching still belong to it.
                _ = try scanner.scan { fields, line, _ in handle(&fields, line) }
                report.absorb(scanner)
                finishTables()
                (file, scanner) = next
                makeRenderers()
            } else if !control.waitForMoreData() {
                break
            }
            end = try scanner.scan(reportTornTail: false) { fields, line, _ in handle(&fields, line) }
        }
        return end
    }

    /// Throws when nothing was shown: a header-only file, or a window and filters that matched nothing.
    func requireRows() throws {
        guard scanner.hasDataRows else { throw ViewError.noRows(path: file.path, reason: "it holds only the header") }
        if shown == 0, report.corruptRowCount == 0, scanner.corruptRowCount == 0 {
            throw ViewError.noMatchingRows(pair: request.pair, date: request.date.description)
        }
    }

    /// Writes what is held back and returns the report.
    func finish() throws -> ViewReport {
        finishTables()
        output.flush()
        report.absorb(scanner)
        report.rowsShown = shown
        return report
    }

    private func nextDayScanner(now: UTCTimestamp) throws -> (DataDirectory.DayFile, RecordScanner)? {
        guard let current = CalendarDate(file.date), CalendarDate(containing: now) > current,
              let next = try? dataDirectory.file(pair: request.pair, kind: kind, date: current.next.description)
        else { return nil }
        let nextScanner = try RecordScanner(path: next.path, kind: kind, window: TimeWindow(to: request.window.to))
        return (next, nextScanner)
    }

    private func makeRenderers() {
        if let layout = scanner.bookLayout {
            bookRenderer = BookRenderer(
                format: request.format, style: style, fileLayout: layout, levels: request.levels, output: output
            )
        } else if tradeRenderer == nil {
            tradeRenderer = TradeRenderer(format: request.format, style: style, output: output)
        }
    }

    private func finishTables() {
        bookRenderer?.finish()
        tradeRenderer?.finish()
    }

    /// Checks, filters and writes one row.
    private func handle(_ fields: inout CSVFields, _ line: UnsafeBufferPointer<UInt8>) -> RecordScanner.Verdict {
        if let limit = request.limit, shown >= limit { return .stop }
        if output.isClosed { return .stop }
        if let tradeRenderer {
            switch admittedTrade(&fields, line) {
            case let .success(trade?):
                tradeRenderer.render(trade, line: line)
                shown += 1
                return .accepted
            case .success(nil):
                return .accepted
            case let .failure(defect):
                return .rejected(defect)
            }
        }
        guard let bookRenderer else { return .stop }
        if let defect = bookRenderer.render(&fields, line: line) { return .rejected(defect) }
        shown += 1
        return .accepted
    }

    /// Checks and filters one row and keeps it for --tail.
    private func keep(_ fields: inout CSVFields, _ line: UnsafeBufferPointer<UInt8>) -> RecordScanner.Verdict {
        if tradeRenderer != nil {
            switch admittedTrade(&fields, line) {
            case .success(.some): kept.append(line)
            case .success(nil): break
            case let .failure(defect): return .rejected(defect)
            }
            return .accepted
        }
        guard let layout = scanner.bookLayout else { return .stop }
        if let defect = BookLineCheck.defect(in: line, layout: layout) { return .rejected(defect) }
        kept.append(line)
        return .accepted
    }

    /// The trade in `line` if it passes the filters, nil if it does not, or why it cannot be read.
    private func admittedTrade(_ fields: inout CSVFields, _ line: UnsafeBufferPointer<UInt8>) -> Result<TradeRow?, RowDefect> {
        fields.split(line)
        return fields.tradeRow().map { request.tradeFilter.admits($0) ? $0 : nil }
    }
}
