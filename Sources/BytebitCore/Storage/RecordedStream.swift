/// Every stream bytebit records for a pair, and the one description of each: its folder under
/// `<data_dir>/<PAIR>/`, its file stem, its columns (SPEC §4), how its layout varies and how its rows
/// are read. The writer, `view`, `list`, the loaders' metadata and new streams all use this table.
///
/// Adding a stream (klines, ticker, ohlc; SPEC §10) is a case here with its facts below, plus its row
/// formatter; counters, file naming, discovery and header checks follow from the table.
public enum RecordedStream: CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case orderBook
    case trades
    case events
    /// Candles built from the trades, one stream per interval (SPEC §10), all in `klines/`.
    case klines(KlineInterval)

    public static var allCases: [RecordedStream] {
        [.orderBook, .trades, .events] + KlineInterval.allCases.map { .klines($0) }
    }

    /// The folder under the pair's folder: `orderbook`, `trades`, `events`.
    public var folderName: String {
        switch self {
        case .orderBook: "orderbook"
        case .trades: "trades"
        case .events: "events"
        case .klines: "klines"
        }
    }

    /// The file name up to the date: `orderbook_data_`, `trade_data_`, `events_`.
    public var fileStem: String {
        switch self {
        case .orderBook: "orderbook_data_"
        case .trades: "trade_data_"
        case .events: "events_"
        case .klines(let interval): "klines_\(interval.rawValue)_"
        }
    }

    /// Whether the columns depend on the market's `levels` (one layout per value of `levels`).
    public var hasLevels: Bool { self == .orderBook }

    /// How a row's cells are written, which decides how a reader splits it.
    public var cellText: CellText {
        switch self {
        case .orderBook, .trades, .klines: .plain
        case .events: .quotedWhenNeeded
        }
    }

    /// The column names, in file order; `levels` matters only when `hasLevels`.
    public func columns(levels: Int) -> [String] {
        switch self {
        case .orderBook: OrderBookColumns.names(levels: levels)
        case .trades: ["timestamp", "received_at", "trade_id", "side", "price", "qty", "ord_type"]
        case .events: ["timestamp", "event", "detail"]
        case .klines: KlineCSV.columns
        }
    }

    public var description: String {
        if case .klines(let interval) = self { return "klines \(interval)" }
        return folderName
    }
}

/// How the cells of a stream's rows are written.
public enum CellText: Sendable, Equatable {
    /// Numbers, timestamps and words without commas: split at every comma.
    case plain
    /// Free text, CSV-quoted when it holds a comma, a quote or a line break (the events ledger).
    case quotedWhenNeeded
}

/// The old name of `RecordedStream`, kept so code written against it still compiles.
public typealias DataFileKind = RecordedStream
