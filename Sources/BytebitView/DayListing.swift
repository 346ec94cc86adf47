import BytebitCore

/// What one day file holds, for `bytebit list`.
public struct FileFacts: Sendable, Equatable {
    /// The file's path.
    public var path: String
    /// Bytes on disk (compressed size for gzip files).
    public var size: Int64
    /// Data rows (the header and a torn last line are not counted).
    public var rows: Int
    /// Timestamp of the first row.
    public var first: UTCTimestamp?
    /// Timestamp of the last row.
    public var last: UTCTimestamp?
}

/// One pair and day on disk: its files and the gaps in its events ledger.
public struct DayListingEntry: Sendable, Equatable {
    /// The pair, `BTC-USD`.
    public var pair: String
    /// The UTC day, `YYYY-MM-DD`.
    public var date: String
    /// The order book file, if there is one.
    public var orderbook: FileFacts?
    /// The trade file, if there is one.
    public var trades: FileFacts?
    /// Gaps in the events ledger; nil without an events file.
    public var gapCount: Int?

    /// First and last time over both data files.
    public var first: UTCTimestamp? { [orderbook?.first, trades?.first].compactMap { $0 }.min() }
    public var last: UTCTimestamp? { [orderbook?.last, trades?.last].compactMap { $0 }.max() }
}

/// `bytebit list`: every pair and day on disk, narrowed by pair and date range.
public enum DayListing {
    /// The entries, sorted by pair then date. Unreadable files are listed with zero rows.
    public static func entries(
        in directory: DataDirectory, pair: String? = nil, from: CalendarDate? = nil, to: CalendarDate? = nil
    ) throws(ViewError) -> [DayListingEntry] {
        let pairs = directory.pairs()
        var chosen = pairs
        if let pair {
            let wanted = ViewRequest.normalisedPair(pair)
            guard pairs.contains(wanted) else {
                throw .unknownPair(pair: wanted, dataDirectory: directory.path, availablePairs: pairs)
            }
            chosen = [wanted]
        }
        var entries: [DayListingEntry] = []
        for pair in chosen {
            var byDate: [String: DayListingEntry] = [:]
            for kind in RecordKind.allCases {
                for file in directory.files(pair: pair, kind: kind) {
                    guard let day = CalendarDate(file.date) else { continue }
                    if let from, day < from { continue }
                    if let to, day > to { continue }
                    var entry = byDate[file.date] ?? DayListingEntry(pair: pair, date: file.date)
                    switch kind {
                    case .orderbook: entry.orderbook = facts(of: file.path)
                    case .trades: entry.trades = facts(of: file.path)
                    case .events: entry.gapCount = gapCount(of: file.path)
                    }
                    byDate[file.date] = entry
                }
            }
            entries += byDate.values.sorted { $0.date < $1.date }
        }
        return entries
    }

    /// Counts rows and finds the first and last timestamps in one streaming pass.
    static func facts(of path: String) -> FileFacts {
        var facts = FileFacts(path: path, size: DataDirectory.size(of: path) ?? 0, rows: 0)
        guard let reader = try? LineReader(path: path) else { return facts }
        var isHeader = true
        _ = try? reader.forEachLine { line, _ in
            if isHeader {
                isHeader = false
                return true
            }
            let end = line.firstIndex(of: 0x2C) ?? line.count
            if let stamp = FastTimestamp.parse(UnsafeBufferPointer(rebasing: line[0..<end])) {
                facts.rows += 1
                if facts.first == nil { facts.first = stamp }
                facts.last = stamp
            }
            return true
        }
        return facts
    }

    static func gapCount(of path: String) -> Int? {
        guard let reader = try? LineReader(path: path) else { return nil }
        var ledger = GapLedger()
        var isHeader = true
        _ = try? reader.forEachLine { line, _ in
            if isHeader {
                isHeader = false
                return true
            }
            if case let .success(event) = eventRow(line) { ledger.record(event) }
            return true
        }
        return ledger.allGaps.count
    }

    /// The listing as a table, CSV or JSON lines.
    public static func render(_ entries: [DayListingEntry], format: OutputFormat, style: TerminalStyle) -> String {
        let time = { (instant: UTCTimestamp?) in instant.map(DisplayText.timeOfDay) ?? "" }
        switch format {
        case .table:
            let table = TableFormatter(columns: [
                TableColumn(title: "pair", isRightAligned: false, priority: 9),
                TableColumn(title: "date", isRightAligned: false, priority: 9),
                TableColumn(title: "book rows", isRightAligned: true, priority: 7),
                TableColumn(title: "book size", isRightAligned: true, priority: 4),
                TableColumn(title: "trades", isRightAligned: true, priority: 7),
                TableColumn(title: "trade size", isRightAligned: true, priority: 3),
                TableColumn(title: "first", isRightAligned: false, priority: 5),
                TableColumn(title: "last", isRightAligned: false, priority: 5),
                TableColumn(title: "gaps", isRightAligned: true, priority: 6),
            ], style: style, lookahead: Int.max)
            return entries.map { entry in
                table.lines(for: [
                    TableCell(entry.pair, .bold), TableCell(entry.date),
                    TableCell(entry.orderbook.map { "\($0.rows)" } ?? "-"),
                    TableCell(entry.orderbook.map { byteSize($0.size, path: $0.path) } ?? "-"),
                    TableCell(entry.trades.map { "\($0.rows)" } ?? "-"),
                    TableCell(entry.trades.map { byteSize($0.size, path: $0.path) } ?? "-"),
                    TableCell(time(entry.first)), TableCell(time(entry.last)),
                    TableCell(entry.gapCount.map { "\($0)" } ?? "?"),
                ])
            }.joined() + table.drain()
        case .csv:
            let header = "pair,date,orderbook_rows,orderbook_bytes,trade_rows,trade_bytes,first,last,gaps\n"
            return header + entries.map { entry in
                [
                    entry.pair, entry.date,
                    entry.orderbook.map { "\($0.rows)" } ?? "", entry.orderbook.map { "\($0.size)" } ?? "",
                    entry.trades.map { "\($0.rows)" } ?? "", entry.trades.map { "\($0.size)" } ?? "",
                    entry.first?.description ?? "", entry.last?.description ?? "",
                    entry.gapCount.map { "\($0)" } ?? "",
                ].joined(separator: ",") + "\n"
            }.joined()
        case .json:
            func number(_ value: (some CustomStringConvertible)?) -> String { value.map { "\($0)" } ?? "null" }
            func stamp(_ instant: UTCTimestamp?) -> String { instant.map { "\"\($0)\"" } ?? "null" }
            return entries.map { entry in
                "{\"pair\":\"\(entry.pair)\",\"date\":\"\(entry.date)\""
                    + ",\"orderbook_rows\":\(number(entry.orderbook?.rows)),\"orderbook_bytes\":\(number(entry.orderbook?.size))"
                    + ",\"trade_rows\":\(number(entry.trades?.rows)),\"trade_bytes\":\(number(entry.trades?.size))"
                    + ",\"first\":\(stamp(entry.first)),\"last\":\(stamp(entry.last)),\"gaps\":\(number(entry.gapCount))}\n"
            }.joined()
        }
    }

    /// `812 B`, `12.3 KB`, `1.2 GB` (+ `gz` for compressed files).
    static func byteSize(_ bytes: Int64, path: String) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        let text = unit == 0 ? "\(bytes) B" : "\(DisplayText.fixed(value, digits: 1)) \(units[unit])"
        return path.hasSuffix(".gz") ? text + " gz" : text
    }
}
