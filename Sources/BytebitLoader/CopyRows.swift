import BytebitCore
import BytebitView

/// Turns file rows into rows of COPY text format for the tables of SPEC §8, keeping every number's
/// text as it is in the file (no decimal or floating-point value is ever built from it).
/// Book and trade cells are digits, points, signs, timestamps and fixed words, so they need no COPY
/// escaping; event details are free text and are escaped.
public struct CopyRows {
    /// The COPY target of each stream: table and columns, in the order the rows below are written.
    public static func target(of stream: RecordedStream) -> String {
        switch stream {
        case .orderBook: "kraken_orderbook (event_time, received_at, pair, type, bids, asks, mid)"
        case .trades: "kraken_trades (event_time, received_at, pair, trade_id, price, volume, side, order_type)"
        case .events: "kraken_events (event_time, pair, event, detail)"
        default: CellTable(stream)?.copyTarget ?? ""
        }
    }

    private var fields = CSVFields()

    public init() {}

    /// Appends the `kraken_orderbook` row of a book line; a defect (and nothing appended) for a line
    /// that is not a valid row of `layout`.
    public mutating func appendBook(
        line: UnsafeBufferPointer<UInt8>, layout: BookLayout, pair: [UInt8], type: BookRowType, to out: inout [UInt8]
    ) -> RowDefect? {
        if let defect = BookLineCheck.defect(in: line, layout: layout) { return defect }
        fields.split(line)
        append(field: 0, to: &out)
        out.append(0x09)
        append(field: 1, to: &out)
        out.append(0x09)
        out.append(contentsOf: pair)
        out.append(0x09)
        out.append(contentsOf: type.rawValue.utf8)
        out.append(0x09)
        appendLevels(layout: layout, qtyIndex: layout.bidQtyIndex, to: &out)
        out.append(0x09)
        appendLevels(layout: layout, qtyIndex: layout.askQtyIndex, to: &out)
        out.append(0x09)
        if fields.isEmpty(layout.midIndex) { out.append(contentsOf: Self.null) } else { append(field: layout.midIndex, to: &out) }
        out.append(0x0A)
        return nil
    }

    /// Appends the `kraken_trades` row of a trade line.
    public mutating func appendTrade(line: UnsafeBufferPointer<UInt8>, pair: [UInt8], to out: inout [UInt8]) -> RowDefect? {
        fields.split(line)
        if case let .failure(defect) = fields.tradeRow() { return defect }
        for (index, field) in [0, 1, -1, 2, 4, 5, 3, 6].enumerated() {
            if index > 0 { out.append(0x09) }
            if field < 0 { out.append(contentsOf: pair) } else { append(field: field, to: &out) }
        }
        out.append(0x0A)
        return nil
    }

    /// Appends the `kraken_events` row of an events line (its detail may be CSV-quoted free text).
    public mutating func appendEvent(line: UnsafeBufferPointer<UInt8>, pair: [UInt8], to out: inout [UInt8]) -> RowDefect? {
        let cells = CSVFields.quotedFields(of: line)
        guard cells.count >= 2, UTCTimestamp(cells[0]) != nil, !cells[1].isEmpty else {
            return RowDefect(reason: "not an events row (timestamp, event, detail)")
        }
        let detail = cells.count > 2 ? cells[2...].joined(separator: ",") : ""
        Self.appendEscaped(cells[0], to: &out)
        out.append(0x09)
        out.append(contentsOf: pair)
        out.append(0x09)
        Self.appendEscaped(cells[1], to: &out)
        out.append(0x09)
        Self.appendEscaped(detail, to: &out)
        out.append(0x0A)
        return nil
    }

    /// A side as a JSON array, best level first: `[["67321.1","0.50000000"],...]` (price, then qty).
    private func appendLevels(layout: BookLayout, qtyIndex: (Int) -> Int, to out: inout [UInt8]) {
        out.append(0x5B)
        for level in 1...max(layout.levels, 1) where layout.levels > 0 {
            let index = qtyIndex(level)
            if fields.isEmpty(index), fields.isEmpty(index + 1) { break }
            if level > 1 { out.append(0x2C) }
            out.append(contentsOf: [0x5B, 0x22])
            append(field: index + 1, to: &out)
            out.append(contentsOf: [0x22, 0x2C, 0x22])
            append(field: index, to: &out)
            out.append(contentsOf: [0x22, 0x5D])
        }
        out.append(0x5D)
    }

    private func append(field index: Int, to out: inout [UInt8]) {
        out.append(contentsOf: fields[index])
    }

    /// COPY text format's NULL.
    static let null: [UInt8] = [0x5C, 0x4E]

    /// Free text in COPY text format: backslash, tab, newline and carriage return escaped.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            default: out.append(byte)
            }
        }
    }
}
