import BytebitCore

/// One `view` run over rows: the files of the day being read (in turn: a gzip and the late rows beside
/// it, a layout file after the main one), the renderer, the --limit/--tail state and the report.
final class RowSession {
    private let request: ViewRequest
    private let dataDirectory: DataDirectory
    private let style: TerminalStyle
    private let output: ViewOutput
    private let kind: RecordedStream
    private var day: DataDirectory.DayFiles
    /// The file being read (the day's last once `showRows` is done; `--follow` continues in it).
    private var file: DataDirectory.DayFile
    private var scanner: RecordScanner
    private var bookRenderer: BookRenderer?
    private var tradeRenderer: TradeRenderer?
    private var shown = 0
    private var hasDataRows = false
    private var report = ViewReport()

    init(request: ViewRequest, dataDirectory: DataDirectory, style: TerminalStyle, output: ViewOutput) throws {
        self.request = request
        self.dataDirectory = dataDirectory
        self.style = style
        self.output = output
        kind = request.showsTrades ? .trades : .orderBook
        day = try dataDirectory.day(pair: request.pair, kind: kind, date: request.date.description)
        file = day.files[0]
        scanner = try RecordScanner(path: file.path, kind: kind, window: request.window)
        makeRenderers()
    }

    /// Bytes read first for `--tail N`: room for N long order book rows.
    static func initialTailSpan(rows: Int) -> Int64 {
        max(64 * 1024, Int64(rows) * 4096)
    }

    /// Shows the window's rows (or its last N with --tail) of every file of the day. A torn last line is
    /// left alone when following: it is a row still being written.
    func showRows(isFollowing: Bool) throws -> RecordScanner.End {
        if let tailCount = request.tail { return try showTail(tailCount, isFollowing: isFollowing) }
        var end = RecordScanner.End.endOfFile
        for (index, next) in day.files.enumerated() {
            if index > 0 { try open(next, window: request.window) }
            let isLast = index == day.files.count - 1
            end = try scanner.scan(reportTornTail: !(isFollowing && isLast)) { fields, line, _ in handle(&fields, line) }
            if end == .stoppedByHandler { break }
        }
        return end
    }

    /// `--tail N`: the last N rows over the day's files, taken from the last file back, then shown in order.
    private func showTail(_ tailCount: Int, isFollowing: Bool) throws -> RecordScanner.End {
        var pieces: [(file: DataDirectory.DayFile, scanner: RecordScanner, lines: [[UInt8]])] = []
        var end = RecordScanner.End.endOfFile
        var keptCount = 0
        for (index, next) in day.files.enumerated().reversed() where keptCount < tailCount {
            let isLast = index == day.files.count - 1
            let wanted = tailCount - keptCount
            var kept = TailBuffer(capacity: wanted)
            // A plain file is read from near its end: widen the span until enough rows pass the filters or
            // the span reaches the window's start.
            var span = Self.initialTailSpan(rows: tailCount)
            var fileScanner: RecordScanner
            repeat {
                fileScanner = try RecordScanner(path: next.path, kind: kind, window: request.window, tailSpan: span)
                kept = TailBuffer(capacity: wanted)
                let fileEnd = try fileScanner.scan(reportTornTail: !(isFollowing && isLast)) { fields, line, _ in
                    keep(&fields, line, layout: fileScanner.bookLayout, &kept)
                }
                if isLast { end = fileEnd }
                span *= 8
            } while kept.count < wanted && !fileScanner.coversWindowStart
            keptCount += kept.count
            pieces.insert((next, fileScanner, kept.lines), at: 0)
        }
        for piece in pieces {
            let previousLayout = scanner.bookLayout
            retire(scanner)
            file = piece.file
            scanner = piece.scanner
            if piece.scanner.bookLayout != previousLayout { finishTables(); makeRenderers() }
            var fields = CSVFields()
            for line in piece.lines {
                line.withUnsafeBufferPointer { bytes in _ = handle(&fields, bytes) }
            }
        }
        // `scanner` is now the day's last file's, read to its end: --follow continues there.
        return end
    }

    /// Like `tail -f`: waits for rows appended to the file; when the UTC day is over and the next day's
    /// file appears, finishes the old file and continues in the new one.
    func follow(from end: RecordScanner.End, control: FollowControl) throws -> RecordScanner.End {
        var end = end
        while end == .endOfFile, !output.isClosed {
            finishTables()
            output.flush()
            if let next = try nextDay(now: control.clock.now()) {
                // Rows the collector wrote to the old file just before switching still belong to it.
                _ = try scanner.scan { fields, line, _ in handle(&fields, line) }
                retire(scanner)
                finishTables()
                day = next
                try open(next.files[next.files.count - 1], window: TimeWindow(to: request.window.to))
            } else if !control.waitForMoreData() {
                break
            }
            end = try scanner.scan(reportTornTail: false) { fields, line, _ in handle(&fields, line) }
        }
        return end
    }

    /// Throws when nothing was shown: header-only files, or a window and filters that matched nothing.
    func requireRows() throws {
        guard hasDataRows || scanner.hasDataRows else {
            throw ViewError.noRows(path: day.path, reason: day.files.count > 1 ? "its files hold only headers" : "it holds only the header")
        }
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

    /// Moves on to `next` (a file of the day, or of the next day): a new scanner and, for another
    /// layout, a new renderer.
    private func open(_ next: DataDirectory.DayFile, window: TimeWindow) throws {
        let previousLayout = scanner.bookLayout
        retire(scanner)
        file = next
        scanner = try RecordScanner(path: next.path, kind: kind, window: window)
        if scanner.bookLayout != previousLayout || (bookRenderer == nil && tradeRenderer == nil) {
            finishTables()
            makeRenderers()
        }
    }

    /// Keeps what a finished scanner found.
    private func retire(_ finished: RecordScanner) {
        hasDataRows = hasDataRows || finished.hasDataRows
        report.absorb(finished)
    }

    private func nextDay(now: UTCTimestamp) throws -> DataDirectory.DayFiles? {
        guard let current = CalendarDate(day.date), CalendarDate(containing: now) > current,
              let next = try? dataDirectory.day(pair: request.pair, kind: kind, date: current.next.description)
        else { return nil }
        return next
    }

    private func makeRenderers() {
        if let layout = scanner.bookLayout {
            let renderer = BookRenderer(
                format: request.format, style: style, fileLayout: layout, levels: request.levels, output: output,
                csvHeaderLevels: bookRenderer.flatMap { $0.hasWrittenHeader ? $0.csvLevels : nil })
            if let note = renderer.levelsNote(path: file.path), !report.notes.contains(note) { report.notes.append(note) }
            bookRenderer = renderer
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
    private func keep(
        _ fields: inout CSVFields, _ line: UnsafeBufferPointer<UInt8>, layout: BookLayout?, _ kept: inout TailBuffer
    ) -> RecordScanner.Verdict {
        if kind == .trades {
            switch admittedTrade(&fields, line) {
            case .success(.some): kept.append(line)
            case .success(nil): break
            case let .failure(defect): return .rejected(defect)
            }
            return .accepted
        }
        guard let layout else { return .stop }
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
