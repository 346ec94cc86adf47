/// Everything `bytebit view` was asked for.
public struct ViewRequest: Sendable {
    /// The pair, normalised (`BTC-USD`).
    public var pair: String
    public var date: CalendarDate
    public var window: TimeWindow
    /// Show trades instead of the order book.
    public var showsTrades = false
    /// Levels a side to show as a ladder (table/json) or to keep (csv); nil = best only / all.
    public var levels: Int?
    /// Show only the first N rows.
    public var limit: Int?
    /// Show only the last N rows.
    public var tail: Int?
    /// Keep reading as rows are appended, across midnight into the next day's file.
    public var follows = false
    public var tradeFilter = TradeFilter()
    public var format: OutputFormat = .table
    /// Print statistics instead of rows.
    public var showsSummary = false

    public init(pair: String, date: CalendarDate, window: TimeWindow = TimeWindow()) {
        self.pair = Self.normalisedPair(pair)
        self.date = date
        self.window = window
    }

    /// `btc/usd`, `XBT-USD` → `BTC-USD`: the spelling the collector uses for folder names (SPEC §3).
    public static func normalisedPair(_ text: String) -> String {
        let parts = text.uppercased().split(whereSeparator: { $0 == "-" || $0 == "/" }).map { part -> String in
            switch part {
            case "XBT": return "BTC"
            case "XDG": return "DOGE"
            default: return String(part)
            }
        }
        return parts.joined(separator: "-")
    }
}

/// What a `view` run did: rows shown and rows skipped as corrupt.
public struct ViewReport: Sendable, Equatable {
    public var rowsShown = 0
    /// The first corrupt rows, with file and line.
    public var corruptRows: [CorruptRow] = []
    /// All corrupt rows seen (the list above is capped).
    public var corruptRowCount = 0

    public init() {}

    /// 0, or 65 (EX_DATAERR) when corrupt rows were skipped.
    public var exitCode: Int32 { corruptRowCount > 0 ? ViewExitCode.corruptRowsSkipped : ViewExitCode.success }

    mutating func absorb(_ scanner: RecordScanner) {
        let found = scanner.takeCorruptRows()
        corruptRowCount += found.count
        corruptRows += found.rows.prefix(max(RecordScanner.corruptRowLimit - corruptRows.count, 0))
    }
}

/// Exit codes of `view` and `list` (SPEC §5: 0 ok, 1 anything else, 64 usage).
public enum ViewExitCode {
    public static let success: Int32 = 0
    /// No data for the pair/day/window, or a file that cannot be read.
    public static let noData: Int32 = 1
    public static let usage: Int32 = 64
    /// Output was produced but corrupt rows were skipped (sysexits EX_DATAERR).
    public static let corruptRowsSkipped: Int32 = 65
}

/// How `--follow` waits and tells the time; injected so tests need not sleep.
public struct FollowControl: Sendable {
    /// The clock deciding when the day is over.
    public var clock: any WallClock
    /// Waits for more data; returns false to stop following (e.g. after SIGINT, or in a test).
    public var waitForMoreData: @Sendable () -> Bool

    public init(clock: any WallClock, waitForMoreData: @escaping @Sendable () -> Bool) {
        self.clock = clock
        self.waitForMoreData = waitForMoreData
    }
}
