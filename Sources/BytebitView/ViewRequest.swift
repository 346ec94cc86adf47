import BytebitCore

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
