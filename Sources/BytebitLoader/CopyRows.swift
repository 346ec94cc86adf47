import BytebitCore
import BytebitView

/// Turns file rows into COPY rows for the tables of SPEC §8, keeping every number's text exactly (no
/// decimal or floating-point value is ever built from it). Book and trade rows are in binary COPY
/// format (`CopyBinary`: timestamps as microseconds, numbers as their decimal digits, the JSONB arrays
/// as text), which spares the server parsing them; the other streams are COPY text, where event
/// details, free text, are escaped.
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

    /// Whether the stream's rows are in binary COPY format (else text).
    public static func isBinary(_ stream: RecordedStream) -> Bool {
        switch stream {
        case .orderBook, .trades: true
        default: false
        }
    }

    private var fields = CSVFields()

    public init() {}

    /// Appends the `kraken_orderbook` row of a book line (binary); a defect (and nothing appended) for
    /// a line that is not a valid row of `layout`.
    public mutating func appendBook(
        line: UnsafeBufferPointer<UInt8>, layout: BookLayout, pair: [UInt8], type: BookRowType, to out: inout [UInt8]
    ) -> RowDefect? {
        if let defect = BookLineCheck.defect(in: line, layout: layout) { return defect }
        fields.split(line)
        // The check above read both timestamps and every number's form.
        guard let eventTime = FastTimestamp.parse(fields[0]), let receivedAt = FastTimestamp.parse(fields[1]) else {
            return RowDefect(reason: "bad timestamp")
        }
        let start = out.count
        CopyBinary.appendFieldCount(7, to: &out)
        CopyBinary.appendTimestamp(microsecondsSince1970: eventTime.microseconds, to: &out)
        CopyBinary.appendTimestamp(microsecondsSince1970: receivedAt.microseconds, to: &out)
        CopyBinary.appendText(pair, to: &out)
        CopyBinary.appendText(type.bytes, to: &out)
        CopyBinary.appendJSONB(to: &out) { appendLevels(layout: layout, qtyIndex: layout.bidQtyIndex, to: &$0) }
        CopyBinary.appendJSONB(to: &out) { appendLevels(layout: layout, qtyIndex: layout.askQtyIndex, to: &$0) }
        if fields.isEmpty(layout.midIndex) {
            CopyBinary.appendNull(to: &out)
        } else if !CopyBinary.appendNumeric(fields[layout.midIndex], to: &out) {
            out.removeSubrange(start...)
            return RowDefect(reason: "bad mid_price \"\(String(decoding: fields[layout.midIndex], as: UTF8.self))\"")
        }
        return nil
    }

    /// Appends the `kraken_trades` row of a trade line (binary).
    public mutating func appendTrade(line: UnsafeBufferPointer<UInt8>, pair: [UInt8], to out: inout [UInt8]) -> RowDefect? {
        fields.split(line)
        let row: TradeRow
        switch fields.tradeRow() {
        case let .failure(defect): return defect
        case let .success(parsed): row = parsed
        }
        let start = out.count
        CopyBinary.appendFieldCount(8, to: &out)
        CopyBinary.appendTimestamp(microsecondsSince1970: row.timestamp.microseconds, to: &out)
        CopyBinary.appendTimestamp(microsecondsSince1970: row.receivedAt.microseconds, to: &out)
        CopyBinary.appendText(pair, to: &out)
        CopyBinary.appendInt64(row.tradeID, to: &out)
        // The cells' text, not the parsed decimals: the digits go over exactly as written.
        guard CopyBinary.appendNumeric(fields[4], to: &out), CopyBinary.appendNumeric(fields[5], to: &out) else {
            out.removeSubrange(start...)
            return RowDefect(reason: "bad price or qty")
        }
        CopyBinary.appendText(fields[3], to: &out)
        CopyBinary.appendText(fields[6], to: &out)
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
