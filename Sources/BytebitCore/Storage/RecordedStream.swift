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

    /// Kraken's `ticker` channel, one row per message (SPEC §10).
    case ticker
    /// Kraken's own candles at one interval, one row per ended interval (SPEC §10).
    case ohlc(OHLCInterval)

    /// Every stream: the three of every pair, bytebit's candles, the ticker, then Kraken's candles;
    /// candles shortest first.
    public static let allCases: [RecordedStream] =
        [.orderBook, .trades, .events] + KlineInterval.allCases.map { .klines($0) } + [.ticker]
        + OHLCInterval.allCases.map { .ohlc($0) }

    /// The folder under the pair's folder: `orderbook`, `trades`, `events`.
    public var folderName: String {
        switch self {
        case .orderBook: "orderbook"
        case .trades: "trades"
        case .events: "events"
        case .klines: "klines"
        case .ticker: "ticker"
        case .ohlc: "ohlc"
        }
    }

    /// The file name up to the date: `orderbook_data_`, `trade_data_`, `events_`, `ticker_data_`,
    /// `ohlc_1m_`.
    public var fileStem: String {
        switch self {
        case .orderBook: "orderbook_data_"
        case .trades: "trade_data_"
        case .events: "events_"
        case .klines(let interval): "klines_\(interval.rawValue)_"
        case .ticker: "ticker_data_"
        case .ohlc(let interval): "ohlc_\(interval.rawValue)_"
        }
    }

    /// Whether the columns depend on the market's `levels` (one layout per value of `levels`).
    public var hasLevels: Bool { self == .orderBook }

    /// How a row's cells are written, which decides how a reader splits it.
    public var cellText: CellText {
        switch self {
        case .orderBook, .trades, .klines, .ticker, .ohlc: .plain
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
        case .ticker:
            [
                "timestamp", "received_at", "bid", "bid_qty", "ask", "ask_qty", "last", "volume", "vwap", "low",
                "high", "change", "change_pct",
            ]
        case .ohlc: ["interval_begin", "open", "high", "low", "close", "volume", "vwap", "trades"]
        }
    }

    public var description: String {
        if case .klines(let interval) = self { return "klines \(interval)" }
        if case .ohlc(let interval) = self { return "ohlc \(interval)" }
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
