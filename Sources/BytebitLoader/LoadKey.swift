import BytebitCore

/// What a loaded position belongs to: one pair's stream, in one layout, on one UTC day. Not a file
/// name: a finished day turns from `.csv` into `.csv.gz` (late rows then go to a `.csv` beside it and
/// are later appended to the `.gz`), and the rows are the same rows in the same order, so the position
/// carries over. A layout change starts `orderbook/levels-N/`, which is another key.
public struct LoadKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var pair: String
    public var stream: RecordedStream
    /// The layout folder (`levels-25`) or `-` for the stream's own folder, plus `.n` for an old
    /// numbered variant (`orderbook_data_D.1.csv`).
    public var layout: String
    /// The UTC day (days since 1970-01-01).
    public var day: Int64

    public init(pair: String, stream: RecordedStream, layout: String, day: Int64) {
        self.pair = pair
        self.stream = stream
        self.layout = layout
        self.day = day
    }

    /// The key of a daily file.
    public init(pair: String, file: DailyFileName) {
        self.init(
            pair: pair, stream: file.kind,
            layout: (file.layoutFolder ?? "-") + (file.variant > 0 ? ".\(file.variant)" : ""), day: file.day)
    }

    /// `YYYY-MM-DD`, as the `day date` column takes it.
    public var date: String { UTCTimestamp(microsecondsSince1970: day * UTCTimestamp.microsecondsPerDay).utcDate }

    public var description: String { "\(pair) \(stream) \(layout == "-" ? "" : layout + " ")\(date)" }

    /// Events before trades before the book, so a book row's ledger is loaded no later than the row.
    public static func < (a: LoadKey, b: LoadKey) -> Bool {
        (a.pair, a.day, a.streamOrder, streamName(a.stream), a.layout)
            < (b.pair, b.day, b.streamOrder, streamName(b.stream), b.layout)
    }

    private var streamOrder: Int {
        switch stream {
        case .events: 0
        case .trades: 1
        case .orderBook: 2
        default: 3
        }
    }

    /// The stream's name in the positions table: unique per stream (`orderbook`, `ohlc 1m`, …).
    static func streamName(_ stream: RecordedStream) -> String { stream.description }
}

/// How far a key's rows are loaded: data lines (the header not counted) and bytes of the day's
/// uncompressed text (one header included), as committed with the rows.
public struct LoadPosition: Sendable, Equatable {
    public var lines: Int64
    public var bytes: Int64
    /// `received_at` of the last order book row loaded (microseconds), which types the next one.
    public var previousReceivedAt: Int64?

    public init(lines: Int64 = 0, bytes: Int64 = 0, previousReceivedAt: Int64? = nil) {
        self.lines = lines
        self.bytes = bytes
        self.previousReceivedAt = previousReceivedAt
    }
}
