import BytebitCore

/// What one stream's files of one day hold, for `bytebit list` (all of them: a gzip and the late rows
/// beside it, layout files, old numbered variants).
public struct FileFacts: Sendable, Equatable {
    /// The files' paths, in reading order.
    public var paths: [String]
    /// Bytes on disk (compressed size for gzip files), over all files.
    public var size: Int64 = 0
    /// Data rows (the header and a torn last line are not counted), over all files.
    public var rows = 0
    /// Timestamp of the earliest row.
    public var first: UTCTimestamp?
    /// Timestamp of the latest row.
    public var last: UTCTimestamp?

    /// Whether any file is gzip-compressed.
    public var hasCompressedFile: Bool { paths.contains { $0.hasSuffix(".gz") } }
}

/// One pair and day on disk: its files and the gaps in its events ledger.
public struct DayListingEntry: Sendable, Equatable {
    /// The pair, `BTC-USD`.
    public var pair: String
    /// The UTC day, `YYYY-MM-DD`.
    public var date: String
    /// The order book files, if there are any.
    public var orderbook: FileFacts?
    /// The trade files, if there are any.
    public var trades: FileFacts?
    /// The klines files per interval, if there are any.
    public var klines: [KlineInterval: FileFacts] = [:]
    /// Gaps in the events ledger; nil without an events file.
    public var gapCount: Int?
    /// Rows of the ticker file (SPEC §10); nil without one.
    public var tickerRows: Int?
    /// Rows of Kraken's candles over every interval's file (SPEC §10); nil without any.
    public var ohlcRows: Int?
    /// Rows that could not be read (skipped in the counts), and files that could not be read at all.
    public var corruptRows: [CorruptRow] = []
    public var corruptRowCount = 0
    public var unreadableFiles: [String] = []

    /// First and last time over both data files.
    public var first: UTCTimestamp? { [orderbook?.first, trades?.first].compactMap { $0 }.min() }
    public var last: UTCTimestamp? { [orderbook?.last, trades?.last].compactMap { $0 }.max() }
}

extension DayListingEntry {
    /// `1m:1440 5m:288`: candle rows per interval, shortest interval first (empty: no klines files).
    public var klineSummary: String {
        klines.keys.sorted().map { "\($0):\(klines[$0]?.rows ?? 0)" }.joined(separator: " ")
    }

    /// `"1m":1440,"5m":288` for the JSON line.
    var klineJSON: String {
        klines.keys.sorted().map { "\"\($0)\":\(klines[$0]?.rows ?? 0)" }.joined(separator: ",")
    }
}

/// `bytebit list`: every pair and day on disk, narrowed by pair and date range.
public enum DayListing {
    /// The entries, sorted by pair then date. Rows are checked as `view` checks them: corrupt ones are
    /// skipped in the counts and listed in the entry; an unreadable file is counted with zero rows.
    public static func entries(
        in directory: DataDirectory, pair: String? = nil, from: CalendarDate? = nil, to: CalendarDate? = nil
    ) throws(ViewError) -> [DayListingEntry] {
        let pairs = directory.pairs()
        var chosen = pairs
        if let pair {
            let wanted = try ViewRequest.pairName(pair)
            guard pairs.contains(wanted) else {
                throw .unknownPair(pair: wanted, dataDirectory: directory.path, availablePairs: pairs)
            }
            chosen = [wanted]
        }
        var entries: [DayListingEntry] = []
        for pair in chosen {
            var byDate: [String: DayListingEntry] = [:]
            for kind in RecordedStream.allCases {
                for day in directory.days(pair: pair, kind: kind) {
                    guard let date = CalendarDate(day.date) else { continue }
                    if let from, date < from { continue }
                    if let to, date > to { continue }
                    var entry = byDate[day.date] ?? DayListingEntry(pair: pair, date: day.date)
                    switch kind {
                    case .orderBook: entry.orderbook = facts(of: day, entry: &entry)
                    case .trades: entry.trades = facts(of: day, entry: &entry)
                    case .events: entry.gapCount = gapCount(of: day, entry: &entry)
                    case .klines(let interval): entry.klines[interval] = facts(of: day, entry: &entry)
                    case .ticker: entry.tickerRows = rowCount(of: day, entry: &entry)
                    case .ohlc: entry.ohlcRows = (entry.ohlcRows ?? 0) + rowCount(of: day, entry: &entry)
                    }
                    byDate[day.date] = entry
                }
            }
            entries += byDate.values.sorted { $0.date < $1.date }
        }
        return entries
    }

    /// Every corrupt row over `entries` (the first hundred) and their count; unreadable files as text.
    public static func problems(in entries: [DayListingEntry]) -> (rows: [CorruptRow], count: Int, unreadable: [String]) {
        let rows = entries.flatMap(\.corruptRows)
        return (Array(rows.prefix(RecordScanner.corruptRowLimit)), entries.reduce(0) { $0 + $1.corruptRowCount },
                entries.flatMap(\.unreadableFiles))
    }

    /// Counts rows and finds the first and last timestamps in one streaming pass per file, checking
    /// every row's cells.
    static func facts(of day: DataDirectory.DayFiles, entry: inout DayListingEntry) -> FileFacts {
        var facts = FileFacts(paths: day.files.map(\.path))
        for file in day.files {
            facts.size += DataDirectory.size(of: file.path) ?? 0
            scan(file.path, kind: day.kind, entry: &entry) { scanner, fields, line, stamp in
                let defect: RowDefect?
                if let layout = scanner.bookLayout {
                    defect = BookLineCheck.defect(in: line, layout: layout)
                } else if case .klines = day.kind {
                    fields.split(line)
                    if case let .failure(found) = fields.klineRow() { defect = found } else { defect = nil }
                } else {
                    fields.split(line)
                    if case let .failure(found) = fields.tradeRow() { defect = found } else { defect = nil }
                }
                if let defect { return .rejected(defect) }
                facts.rows += 1
                facts.first = min(facts.first ?? stamp, stamp)
                facts.last = max(facts.last ?? stamp, stamp)
                return .accepted
            }
        }
        return facts
    }

    /// Rows of a stream without a row check of its own here (ticker, ohlc): lines with a timestamp.
    static func rowCount(of day: DataDirectory.DayFiles, entry: inout DayListingEntry) -> Int {
        var rows = 0
        for file in day.files {
            scan(file.path, kind: day.kind, entry: &entry) { _, _, _, _ in
                rows += 1
                return .accepted
            }
        }
        return rows
    }

    static func gapCount(of day: DataDirectory.DayFiles, entry: inout DayListingEntry) -> Int? {
        var ledger = GapLedger()
        var isReadable = false
        for file in day.files {
            isReadable = scan(file.path, kind: .events, entry: &entry) { _, _, line, _ in
                ledger.record(line: line)
            } || isReadable
        }
        return isReadable ? ledger.allGaps.count : nil
    }

    /// Scans one file, noting its corrupt rows (or that it cannot be read) in `entry`; false if unreadable.
    @discardableResult
    private static func scan(
        _ path: String, kind: RecordedStream, entry: inout DayListingEntry,
        _ handle: (RecordScanner, inout CSVFields, UnsafeBufferPointer<UInt8>, UTCTimestamp) -> RecordScanner.Verdict
    ) -> Bool {
        do {
            let scanner = try RecordScanner(path: path, kind: kind, window: TimeWindow())
            // A torn last line is a row still being written (or repaired on the next start), not corruption.
            _ = try scanner.scan(reportTornTail: false) { fields, line, stamp in handle(scanner, &fields, line, stamp) }
            let found = scanner.takeCorruptRows()
            entry.corruptRowCount += found.count
            entry.corruptRows += found.rows
            return true
        } catch let error as ViewError {
            // A header-only or empty file holds no rows; anything else cannot be read.
            if case .noRows = error { return true }
            entry.unreadableFiles.append(error.description)
        } catch {
            entry.unreadableFiles.append("\(path): \(error)")
        }
        return false
    }

    /// The listing as a table, CSV or JSON lines.
    public static func render(_ entries: [DayListingEntry], format: OutputFormat, style: TerminalStyle) -> String {
        let time = { (instant: UTCTimestamp?) in instant.map(DisplayText.timeOfDay) ?? "" }
        // Candle rows, and ticker and ohlc counts, appear once any listed day has such files (SPEC §10):
        // listings without them stay as they were.
        let showsKlines = entries.contains { !$0.klines.isEmpty }
        let showsChannels = entries.contains { $0.tickerRows != nil || $0.ohlcRows != nil }
        let count = { (rows: Int?) in rows.map { "\($0)" } }
        switch format {
        case .table:
            let candles = showsKlines ? [TableColumn(title: "candles", isRightAligned: false, priority: 2)] : []
            let channelColumns = showsChannels ? [
                TableColumn(title: "ticker", isRightAligned: true, priority: 2),
                TableColumn(title: "ohlc", isRightAligned: true, priority: 2),
            ] : []
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
            ] + candles + channelColumns, style: style, lookahead: Int.max)
            return entries.map { entry in
                table.lines(for: [
                    TableCell(entry.pair, .bold), TableCell(entry.date),
                    TableCell(entry.orderbook.map { "\($0.rows)" } ?? "-"),
                    TableCell(entry.orderbook.map { byteSize($0.size, isCompressed: $0.hasCompressedFile) } ?? "-"),
                    TableCell(entry.trades.map { "\($0.rows)" } ?? "-"),
                    TableCell(entry.trades.map { byteSize($0.size, isCompressed: $0.hasCompressedFile) } ?? "-"),
                    TableCell(time(entry.first)), TableCell(time(entry.last)),
                    TableCell(entry.gapCount.map { "\($0)" } ?? "?"),
                ] + (showsKlines ? [TableCell(entry.klineSummary.isEmpty ? "-" : entry.klineSummary)] : [])
                  + (showsChannels ? [TableCell(count(entry.tickerRows) ?? "-"), TableCell(count(entry.ohlcRows) ?? "-")] : []))
            }.joined() + table.drain()
        case .csv:
            let header = "pair,date,orderbook_rows,orderbook_bytes,trade_rows,trade_bytes,first,last,gaps"
                + (showsKlines ? ",kline_rows" : "") + (showsChannels ? ",ticker_rows,ohlc_rows\n" : "\n")
            return header + entries.map { entry in
                [
                    entry.pair, entry.date,
                    entry.orderbook.map { "\($0.rows)" } ?? "", entry.orderbook.map { "\($0.size)" } ?? "",
                    entry.trades.map { "\($0.rows)" } ?? "", entry.trades.map { "\($0.size)" } ?? "",
                    entry.first?.description ?? "", entry.last?.description ?? "",
                    entry.gapCount.map { "\($0)" } ?? "",
                ].joined(separator: ",") + (showsKlines ? ",\(entry.klineSummary)" : "")
                    + (showsChannels ? ",\(count(entry.tickerRows) ?? ""),\(count(entry.ohlcRows) ?? "")" : "") + "\n"
            }.joined()
        case .json:
            func number(_ value: (some CustomStringConvertible)?) -> String { value.map { "\($0)" } ?? "null" }
            func stamp(_ instant: UTCTimestamp?) -> String { instant.map { "\"\($0)\"" } ?? "null" }
            return entries.map { entry in
                "{\"pair\":\"\(entry.pair)\",\"date\":\"\(entry.date)\""
                    + ",\"orderbook_rows\":\(number(entry.orderbook?.rows)),\"orderbook_bytes\":\(number(entry.orderbook?.size))"
                    + ",\"trade_rows\":\(number(entry.trades?.rows)),\"trade_bytes\":\(number(entry.trades?.size))"
                    + ",\"first\":\(stamp(entry.first)),\"last\":\(stamp(entry.last)),\"gaps\":\(number(entry.gapCount))"
                    + (showsKlines ? ",\"kline_rows\":{\(entry.klineJSON)}" : "")
                    + (showsChannels
                        ? ",\"ticker_rows\":\(number(entry.tickerRows)),\"ohlc_rows\":\(number(entry.ohlcRows))}\n" : "}\n")
            }.joined()
        }
    }

    /// `812 B`, `12.3 KB`, `1.2 GB` (+ `gz` when a file of the day is compressed).
    static func byteSize(_ bytes: Int64, isCompressed: Bool) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        let text = unit == 0 ? "\(bytes) B" : "\(DisplayText.fixed(value, digits: 1)) \(units[unit])"
        return isCompressed ? text + " gz" : text
    }
}
