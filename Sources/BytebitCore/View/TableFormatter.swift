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

/// Formats a table whose rows arrive one at a time: the first row fixes the column widths (prices of a
/// pair have a stable width) and which columns fit the terminal; later rows reuse them, so memory stays
/// flat and output starts at once.
final class TableFormatter {
    private let columns: [TableColumn]
    private let style: TerminalStyle
    private var widths: [Int] = []
    private var visible: [Int] = []
    private static let gap = "  "

    init(columns: [TableColumn], style: TerminalStyle) {
        self.columns = columns
        self.style = style
    }

    /// Whether the header has been written (the first row has been seen).
    var hasStarted: Bool { !visible.isEmpty }

    /// The row's line (with the header line before it on the first call), ending in a newline.
    func lines(for cells: [TableCell]) -> String {
        var text = ""
        if !hasStarted {
            fitColumns(to: cells)
            let titles = columns.map { TableCell($0.title, .bold) }
            text += line(titles)
        }
        text += line(cells)
        return text
    }

    private func fitColumns(to cells: [TableCell]) {
        widths = columns.indices.map { max(columns[$0].title.count, $0 < cells.count ? cells[$0].text.count : 0) }
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
