import BytebitCore

/// Reads one day file's rows inside a time window: checks the header, seeks to the window on plain files,
/// skips rows before it, stops after it, and records corrupt rows (with their position) instead of failing.
final class RecordScanner {
    /// What the row handler decided.
    enum Verdict {
        case accepted
        case rejected(RowDefect)
        case stop
    }

    /// Why a scan returned.
    enum End: Equatable {
        case endOfFile
        case pastWindow
        case stoppedByHandler
    }

    let path: String
    let kind: RecordedStream
    let window: TimeWindow
    let headerLine: String
    let bookLayout: BookLayout?
    /// The first corrupt rows (at most `corruptRowLimit` kept); `corruptRowCount` counts all.
    private(set) var corruptRows: [CorruptRow] = []
    private(set) var corruptRowCount = 0
    /// Whether the file holds at least one row after its header (seen or skipped by the seek).
    private(set) var hasDataRows = false
    private var reader: LineReader
    private var fields = CSVFields()
    private lazy var lineCounter = LineCounter(path: path)
    /// Whether the scan starts where the window does (no earlier row can be in it): false only when a
    /// `tailSpan` start skipped part of the window.
    private(set) var coversWindowStart = true
    static let corruptRowLimit = 100

    /// Opens `path` and checks its header. With `tailSpan` (plain files only), reading starts that many
    /// bytes before the window's end instead of at its start: `--tail` then reads only the file's end.
    init(path: String, kind: RecordedStream, window: TimeWindow, tailSpan: Int64? = nil) throws(ViewError) {
        self.path = path
        self.kind = kind
        self.window = window
        var reader = try LineReader(path: path)
        var header: String?
        var headerEnd: Int64 = 0
        do {
            try reader.forEachLine { line, _ in
                header = String(decoding: line, as: UTF8.self)
                return false
            }
            headerEnd = reader.nextLineOffset
        } catch let error as ViewError {
            throw error
        } catch {
            throw .unreadable(path: path, errno: 0)
        }
        guard let header else {
            let reason = reader.pendingTail == nil ? "the file is empty" : "the header line is incomplete"
            throw .noRows(path: path, reason: reason)
        }
        let headerFields = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let layout = StreamLayout(stream: kind, headerCells: headerFields) else {
            throw .unexpectedHeader(path: path, found: header)
        }
        bookLayout = kind.hasLevels ? BookLayout(levels: layout.levels) : nil
        headerLine = header
        // Jump close to the window's start on a plain file; the header has been read already.
        var start = headerEnd
        if let from = window.from, !reader.isCompressed {
            start = try WindowSearch.offset(ofFirstRowAtOrAfter: from, path: path, dataStart: headerEnd)
        }
        if let tailSpan, !reader.isCompressed {
            // The window's end is at most `closeEnough` after the search's answer.
            var end = DataDirectory.size(of: path) ?? 0
            if let to = window.to {
                let before = try WindowSearch.offset(ofFirstRowAtOrAfter: to, path: path, dataStart: headerEnd)
                end = min(end, before + WindowSearch.closeEnough)
            }
            if end - tailSpan > start {
                start = try WindowSearch.lineStart(atOrAfter: end - tailSpan, path: path)
                coversWindowStart = false
            }
        }
        if start > headerEnd {
            reader = try LineReader(path: path, offset: start)
            hasDataRows = true
        }
        self.reader = reader
    }

    /// Calls `handle` for each row in the window, in file order, with the raw line and a reusable
    /// `CSVFields` the handler splits the line into when it needs the fields.
    func scan(
        reportTornTail: Bool = true,
        _ handle: (inout CSVFields, UnsafeBufferPointer<UInt8>, UTCTimestamp) throws -> Verdict
    ) throws -> End {
        var end = End.endOfFile
        let from = window.from
        let to = window.to
        let isFreeText = kind.cellText == .quotedWhenNeeded
        try reader.forEachLine { line, position in
            hasDataRows = true
            if line.isEmpty {
                record(RowDefect(reason: "empty line"), at: position)
                return true
            }
            // The timestamp decides skip/stop before the line is split: a window far into the file costs
            // one timestamp parse per earlier row.
            let firstComma = line.firstIndex(of: 0x2C) ?? line.count
            let stampBytes = UnsafeBufferPointer(rebasing: line[0..<firstComma])
            let stamp = isFreeText ? UTCTimestamp(rfc3339: stampBytes) : FastTimestamp.parse(stampBytes)
            guard let stamp else {
                record(RowDefect(reason: "bad timestamp \"\(String(decoding: stampBytes.prefix(40), as: UTF8.self))\""), at: position)
                return true
            }
            if let from, stamp < from { return true }
            if let to, stamp >= to {
                end = .pastWindow
                return false
            }
            // Handlers split the line themselves when they need the fields (pass-through CSV does not).
            switch try handle(&fields, line, stamp) {
            case .accepted:
                return true
            case let .rejected(defect):
                record(defect, at: position)
                return true
            case .stop:
                end = .stoppedByHandler
                return false
            }
        }
        if end == .endOfFile, reportTornTail, let tail = reader.pendingTail {
            hasDataRows = true
            record(RowDefect(reason: "last line is incomplete (\(tail.bytes.count) bytes, no newline)"), at: tail.position)
        }
        return end
    }

    /// The corrupt rows found since the last call (so a followed file is never counted twice).
    func takeCorruptRows() -> (rows: [CorruptRow], count: Int) {
        defer {
            corruptRows.removeAll()
            corruptRowCount = 0
        }
        return (corruptRows, corruptRowCount)
    }

    private func record(_ defect: RowDefect, at position: LineReader.Position) {
        corruptRowCount += 1
        if corruptRows.count < Self.corruptRowLimit {
            var position = position
            // A windowed scan began mid-file without counting lines: count them now (only for rows
            // reported, and on from the last one), so every report names a line.
            if position.lineNumber == nil { position.lineNumber = lineCounter.lineNumber(atOffset: position.byteOffset) }
            corruptRows.append(CorruptRow(path: path, position: position, reason: defect.reason))
        }
    }
}
