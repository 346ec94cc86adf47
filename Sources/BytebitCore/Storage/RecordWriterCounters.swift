/// What `bytebit status` shows about a market's files.
public struct RecordWriterCounters: Sendable, Equatable {
    /// The UTC date the "today" counts refer to (the newest date written), nil before the first row.
    public var day: String?
    /// Rows written to that date's files, per stream.
    public var rowsWrittenTodayByStream = StreamCounts()
    /// Rows lost since start: failed writes (full disk, unwritable folder) and writer backlog overflow.
    public var rowsDropped = 0
    /// The last write error's text, if any.
    public var lastError: String?
    /// When the last error happened (writer clock).
    public var lastErrorAt: UTCTimestamp?
    /// True while rows are being lost: the last write failed and the loss is not in the ledger yet.
    public var isLosingRows = false

    public init() {}

    /// Rows written today to the files of `stream`.
    public func rowsWrittenToday(_ stream: RecordedStream) -> Int { rowsWrittenTodayByStream[stream] }
}
