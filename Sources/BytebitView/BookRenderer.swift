import BytebitCore

/// Prints order book rows as a table (best bid/ask, spread, mid, or a ladder of N levels), as SPEC CSV, or
/// as JSON lines.
final class BookRenderer {
    private let format: OutputFormat
    private let style: TerminalStyle
    private let fileLayout: BookLayout
    /// Levels a side to show; nil = best only (table/json) or every level in the file (csv).
    private let levels: Int?
    /// Levels asked for with --levels, before capping at the file's depth.
    private let levelsAsked: Int?
    /// CSV: the levels of the header already written for an earlier file of the day, if any; this file's
    /// rows are laid out to match it, so the output stays one CSV table.
    private let csvHeaderLevels: Int?
    private let output: ViewOutput
    private var table: TableFormatter
    private(set) var hasWrittenHeader = false

    init(
        format: OutputFormat, style: TerminalStyle, fileLayout: BookLayout, levels: Int?, output: ViewOutput,
        csvHeaderLevels: Int? = nil
    ) {
        self.format = format
        self.style = style
        self.fileLayout = fileLayout
        self.levels = levels.map { min(max($0, 1), fileLayout.levels) }
        levelsAsked = levels
        self.csvHeaderLevels = format == .csv ? csvHeaderLevels : nil
        hasWrittenHeader = self.csvHeaderLevels != nil
        self.output = output
        if let levels, levels > 0 {
            table = TableFormatter(columns: [
                TableColumn(title: "bid qty", isRightAligned: true, priority: 3),
                TableColumn(title: "bid", isRightAligned: true, priority: 4),
                TableColumn(title: "ask", isRightAligned: true, priority: 4),
                TableColumn(title: "ask qty", isRightAligned: true, priority: 3),
            ], style: style)
        } else {
            table = TableFormatter(columns: [
                TableColumn(title: "time", isRightAligned: false, priority: 9),
                TableColumn(title: "bid qty", isRightAligned: true, priority: 3),
                TableColumn(title: "bid", isRightAligned: true, priority: 8),
                TableColumn(title: "ask", isRightAligned: true, priority: 8),
                TableColumn(title: "ask qty", isRightAligned: true, priority: 3),
                TableColumn(title: "spread", isRightAligned: true, priority: 5),
                TableColumn(title: "bps", isRightAligned: true, priority: 2),
                TableColumn(title: "mid", isRightAligned: true, priority: 6),
            ], style: style)
        }
    }

    /// How many levels a side the parser must read.
    var levelsNeeded: Int { levels ?? 1 }

    /// Levels a side in CSV output: the header's.
    var csvLevels: Int { csvHeaderLevels ?? levels ?? fileLayout.levels }

    /// Whether CSV output can copy the file's line unchanged.
    private var isPassThrough: Bool { format == .csv && csvLevels == fileLayout.levels }

    /// What the output leaves out that was asked for or is in the file, for a note on stderr; nil if nothing.
    func levelsNote(path: String) -> String? {
        if let levelsAsked, levelsAsked > fileLayout.levels {
            return "\(path) has \(fileLayout.levels) levels a side; showing \(fileLayout.levels), not the \(levelsAsked) asked for"
        }
        if format == .csv, csvLevels < fileLayout.levels, levels == nil {
            return "\(path) has \(fileLayout.levels) levels a side; its rows are cut to the \(csvLevels) of the day's first file (use --levels \(fileLayout.levels))"
        }
        return nil
    }

    /// Writes one row; returns the defect if the row is corrupt (then nothing is written). Every format
    /// checks the whole row, deep levels included, so a table and a CSV of one file report the same rows.
    func render(_ fields: inout CSVFields, line: UnsafeBufferPointer<UInt8>) -> RowDefect? {
        if isPassThrough {
            if let defect = BookLineCheck.defect(in: line, layout: fileLayout) { return defect }
            writeHeaderIfNeeded()
            output.append(line)
            output.appendByte(0x0A)
            return nil
        }
        fields.split(line)
        if format == .csv {
            if let defect = BookLineCheck.defect(in: line, layout: fileLayout) { return defect }
            writeCSV(fields)
            return nil
        }
        if let defect = BookLineCheck.defect(in: line, layout: fileLayout) { return defect }
        let row: BookRow
        switch fields.bookRow(layout: fileLayout, levelsWanted: levelsNeeded) {
        case let .success(parsed): row = parsed
        case let .failure(defect): return defect
        }
        switch format {
        case .csv: writeCSV(fields)
        case .json: writeJSON(row)
        case .table: output.append(levels == nil ? tableLine(row) : ladder(row))
        }
        return nil
    }

    /// Writes rows held back to learn the table's column widths.
    func finish() {
        output.append(table.drain())
    }

    /// The CSV header (pass-through output needs it before the first row; also for an empty result).
    func writeHeaderIfNeeded() {
        guard format == .csv, !hasWrittenHeader else { return }
        hasWrittenHeader = true
        output.append(BookLayout(levels: csvLevels).headerFields.joined(separator: ",") + "\n")
    }

    /// The file's field indices, in SPEC order for `csvLevels` a side; nil for a level deeper than the
    /// file (an empty cell, as the writer leaves for a thin book).
    private lazy var csvIndices: [Int?] = {
        let levels = csvLevels
        let file = fileLayout.levels
        var indices: [Int?] = [0, 1]
        for level in stride(from: levels, through: 1, by: -1) {
            indices += level <= file ? [fileLayout.bidQtyIndex(level), fileLayout.bidQtyIndex(level) + 1] : [nil, nil]
        }
        indices.append(fileLayout.midIndex)
        for level in 1...levels {
            indices += level <= file ? [fileLayout.askQtyIndex(level), fileLayout.askQtyIndex(level) + 1] : [nil, nil]
        }
        return indices
    }()

    /// The row re-laid out for `levels` a side, cells copied as written.
    private func writeCSV(_ fields: CSVFields) {
        writeHeaderIfNeeded()
        let indices = csvIndices
        output.withBuffer { bytes in
            for (position, index) in indices.enumerated() {
                if position > 0 { bytes.append(0x2C) }
                if let index { bytes.append(contentsOf: fields[index]) }
            }
            bytes.append(0x0A)
        }
    }

    private func tableLine(_ row: BookRow) -> String {
        let bid = row.bids.first
        let ask = row.asks.first
        let spread = row.spread
        var bps = ""
        if let spread, let mid = row.mid, !mid.isZero {
            bps = DisplayText.fixed(DisplayText.basisPoints(spread: spread, mid: mid), digits: 2)
        }
        return table.lines(for: [
            TableCell(DisplayText.timeOfDay(row.timestamp), .dim),
            TableCell(bid?.qty.description ?? "", .green),
            TableCell(bid?.price.description ?? "-", .green),
            TableCell(ask?.price.description ?? "-", .red),
            TableCell(ask?.qty.description ?? "", .red),
            TableCell(spread?.description ?? "-"),
            TableCell(bps),
            TableCell(row.mid?.description ?? "-"),
        ])
    }

    /// A small ladder: a title line with time, spread and mid, then one line per level.
    private func ladder(_ row: BookRow) -> String {
        var text = ""
        var title = DisplayText.timeOfDay(row.timestamp)
        if let spread = row.spread { title += "  spread \(spread)" }
        if let spread = row.spread, let mid = row.mid, !mid.isZero {
            title += " (\(DisplayText.fixed(DisplayText.basisPoints(spread: spread, mid: mid), digits: 2)) bps)"
        }
        if let mid = row.mid { title += "  mid \(mid)" }
        text += table.raw((table.hasStarted ? "\n" : "") + style.paint(title, .bold) + "\n")
        let depth = max(row.bids.count, row.asks.count, 1)
        for level in 0..<depth {
            let bid = level < row.bids.count ? row.bids[level] : nil
            let ask = level < row.asks.count ? row.asks[level] : nil
            text += table.lines(for: [
                TableCell(bid?.qty.description ?? "", .green),
                TableCell(bid?.price.description ?? "", .green),
                TableCell(ask?.price.description ?? "", .red),
                TableCell(ask?.qty.description ?? "", .red),
            ])
        }
        return text
    }

    private func writeJSON(_ row: BookRow) {
        let showsLevels = levels != nil
        output.withBuffer { bytes in
            var object = JSONLineWriter.open(&bytes)
            object.timestamp("timestamp", row.timestamp, &bytes)
            object.timestamp("received_at", row.receivedAt, &bytes)
            object.number("best_bid_price", row.bids.first?.price, &bytes)
            object.number("best_bid_qty", row.bids.first?.qty, &bytes)
            object.number("best_ask_price", row.asks.first?.price, &bytes)
            object.number("best_ask_qty", row.asks.first?.qty, &bytes)
            object.number("mid_price", row.mid, &bytes)
            object.number("spread", row.spread, &bytes)
            if showsLevels {
                object.levels("bids", row.bids, &bytes)
                object.levels("asks", row.asks, &bytes)
            }
            object.close(&bytes)
        }
    }
}
