import BytebitCore

/// One column of a streamed table.
struct TableColumn {
    var title: String
    var isRightAligned: Bool
    /// Higher survives longer when the terminal is narrow.
    var priority: Int
}

/// One cell: its text and an optional colour.
struct TableCell {
    var text: String
    var colour: TerminalStyle.Colour?

    init(_ text: String, _ colour: TerminalStyle.Colour? = nil) {
        self.text = text
        self.colour = colour
    }
}

/// Formats a table whose rows arrive one at a time: the first `lookahead` rows are held back to fix the
/// column widths and which columns fit the terminal; later rows reuse them, so memory stays flat.
final class TableFormatter {
    private enum Pending {
        case row([TableCell])
        case raw(String)
    }

    private let columns: [TableColumn]
    private let style: TerminalStyle
    private let lookahead: Int
    private var widths: [Int] = []
    private var visible: [Int] = []
    private var pending: [Pending] = []
    private var pendingRows = 0
    private static let gap = "  "

    init(columns: [TableColumn], style: TerminalStyle, lookahead: Int = 64) {
        self.columns = columns
        self.style = style
        self.lookahead = max(lookahead, 1)
    }

    /// Whether anything has been shown or queued.
    var hasStarted: Bool { !visible.isEmpty || !pending.isEmpty }

    /// The text ready to print after this row (empty while widths are still being learnt).
    func lines(for cells: [TableCell]) -> String {
        guard visible.isEmpty else { return line(cells) }
        pending.append(.row(cells))
        pendingRows += 1
        return pendingRows >= lookahead ? drain() : ""
    }

    /// A line outside the columns (a ladder's title), kept in order with the rows.
    func raw(_ text: String) -> String {
        guard visible.isEmpty else { return text }
        pending.append(.raw(text))
        return ""
    }

    /// Fixes the widths from the rows held back and returns them with the header (call at the end, and
    /// before waiting in --follow).
    func drain() -> String {
        guard !pending.isEmpty else { return "" }
        let rows = pending.compactMap { item -> [TableCell]? in
            if case let .row(cells) = item { return cells }
            return nil
        }
        var text = ""
        if visible.isEmpty {
            fitColumns(to: rows)
        }
        var hasHeader = false
        for item in pending {
            switch item {
            case let .raw(line):
                text += line
            case let .row(cells):
                if !hasHeader {
                    hasHeader = true
                    text += line(columns.map { TableCell($0.title, .bold) })
                }
                text += line(cells)
            }
        }
        pending.removeAll()
        return text
    }

    private func fitColumns(to rows: [[TableCell]]) {
        widths = columns.indices.map { index in
            rows.reduce(columns[index].title.count) { width, cells in
                max(width, index < cells.count ? cells[index].text.count : 0)
            }
        }
        var chosen = Array(columns.indices)
        func total(_ indices: [Int]) -> Int {
            indices.reduce(0) { $0 + widths[$1] } + max(indices.count - 1, 0) * Self.gap.count
        }
        while chosen.count > 1, total(chosen) > style.width {
            // Drop the least important column (the rightmost among equals).
            guard let weakest = chosen.enumerated().min(by: { lhs, rhs in
                columns[lhs.element].priority < columns[rhs.element].priority
                    || (columns[lhs.element].priority == columns[rhs.element].priority && lhs.offset > rhs.offset)
            }) else { break }
            chosen.remove(at: weakest.offset)
        }
        visible = chosen
    }

    private func line(_ cells: [TableCell]) -> String {
        var parts: [String] = []
        for (position, index) in visible.enumerated() {
            let cell = index < cells.count ? cells[index] : TableCell("")
            let padding = String(repeating: " ", count: max(widths[index] - cell.text.count, 0))
            let isLast = position == visible.count - 1
            if columns[index].isRightAligned {
                parts.append(padding + style.paint(cell.text, cell.colour))
            } else {
                parts.append(style.paint(cell.text, cell.colour) + (isLast ? "" : padding))
            }
        }
        return parts.joined(separator: Self.gap) + "\n"
    }
}
