import BytebitCore

/// Prints trades as a table (time, side, price, qty, notional), as SPEC CSV, or as JSON lines.
final class TradeRenderer {
    private let format: OutputFormat
    private let style: TerminalStyle
    private let output: ViewOutput
    private let table: TableFormatter
    private var hasWrittenHeader = false

    init(format: OutputFormat, style: TerminalStyle, output: ViewOutput) {
        self.format = format
        self.style = style
        self.output = output
        table = TableFormatter(columns: [
            TableColumn(title: "time", isRightAligned: false, priority: 9),
            TableColumn(title: "side", isRightAligned: false, priority: 7),
            TableColumn(title: "price", isRightAligned: true, priority: 8),
            TableColumn(title: "qty", isRightAligned: true, priority: 6),
            TableColumn(title: "notional", isRightAligned: true, priority: 4),
        ], style: style)
    }

    /// Writes one parsed trade; `line` is the row as written in the file (CSV copies it).
    func render(_ trade: TradeRow, line: UnsafeBufferPointer<UInt8>) {
        switch format {
        case .csv:
            writeHeaderIfNeeded()
            output.append(line)
            output.appendByte(0x0A)
        case .json:
            output.withBuffer { bytes in
                var object = JSONLineWriter.open(&bytes)
                object.timestamp("timestamp", trade.timestamp, &bytes)
                object.timestamp("received_at", trade.receivedAt, &bytes)
                object.integer("trade_id", trade.tradeID, &bytes)
                object.string("side", trade.side.rawValue, &bytes)
                object.number("price", trade.price, &bytes)
                object.number("qty", trade.qty, &bytes)
                object.string("ord_type", trade.orderType, &bytes)
                object.number("notional", trade.notional, &bytes)
                object.close(&bytes)
            }
        case .table:
            let colour: TerminalStyle.Colour = trade.side == .buy ? .green : .red
            output.append(table.lines(for: [
                TableCell(DisplayText.timeOfDay(trade.timestamp), .dim),
                TableCell(trade.side.rawValue, colour),
                TableCell(trade.price.description, colour),
                TableCell(trade.qty.description),
                TableCell(trade.notional?.description ?? "overflow"),
            ]))
        }
    }

    /// Writes rows held back to learn the table's column widths.
    func finish() {
        output.append(table.drain())
    }

    /// The CSV header: SPEC §4.2's columns.
    func writeHeaderIfNeeded() {
        guard format == .csv, !hasWrittenHeader else { return }
        hasWrittenHeader = true
        output.append(RecordedStream.trades.columns(levels: 0).joined(separator: ",") + "\n")
    }
}
