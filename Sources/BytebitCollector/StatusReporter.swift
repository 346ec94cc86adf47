import BytebitCore
import Foundation

/// Rewrites the collector's status file: at most once a second while the market's state changes
/// (events, the feed's status), every `rowsInterval` while only rows are recorded, and at least
/// every `maxInterval` (the supervisor's heartbeat, whose timeout of 30 s stays well above it;
/// `Heartbeat.defaultTimeoutMicroseconds`). The source of `bytebit status`.
///
/// A group's markets write less often while only rows come in: 672 markets rewriting a JSON file
/// every second cost a third of a group collector's CPU (issue 10, measured with `perf`). The
/// supervisor's heartbeat of a group is the newest of its markets' files, so 10 s is safe.
struct StatusReporter {
    let path: String
    let market: String
    /// Whether the market records the ticker, and Kraken's candles at which intervals (their row
    /// counts then appear in the status, zero included).
    var recordsTicker = false
    var ohlcIntervals: [OHLCInterval] = []
    let startedAt: UTCTimestamp
    /// The spacing of writes while only rows are recorded.
    let rowsInterval: Int64
    /// The longest spacing of writes: a quiet market still shows it is alive.
    let maxInterval: Int64
    private var lastWrite: Int64?
    /// The feed's status as last written, without its liveness time (heartbeats are no change).
    private var lastFeed: FeedStatus?
    /// Outputs that add their counters to the status (Redis).
    var reportingSinks: [any ReportingSink] = []

    /// The least spacing of writes while the state changes.
    static let interval: Int64 = 1_000_000
    /// `maxInterval` and `rowsInterval` of a market alone on its connection.
    static let singleMaxInterval: Int64 = 5_000_000
    /// `maxInterval` and `rowsInterval` of a market in a group.
    static let groupInterval: Int64 = 10_000_000

    init(path: String, market: String, startedAt: UTCTimestamp, inGroup: Bool = false) {
        self.path = path
        self.market = market
        self.startedAt = startedAt
        rowsInterval = inGroup ? Self.groupInterval : Self.interval
        maxInterval = inGroup ? Self.groupInterval : Self.singleMaxInterval
    }

    /// Writes when due; `rowsChanged`: rows were recorded since the last write, `eventsChanged`:
    /// ledger rows were. True when written.
    @discardableResult
    mutating func writeIfDue(
        feed: FeedStatus, writer: RecordWriterCounters, now: UTCTimestamp, rowsChanged: Bool, eventsChanged: Bool
    ) -> Bool {
        if let lastWrite {
            let elapsed = now.microseconds - lastWrite
            let stateChanged = eventsChanged || Self.withoutLiveness(feed) != lastFeed
            guard elapsed >= maxInterval || (stateChanged && elapsed >= Self.interval)
                || (rowsChanged && elapsed >= rowsInterval)
            else { return false }
        }
        write(feed: feed, writer: writer, now: now, isStopping: false)
        return true
    }

    /// When the next write is due (microseconds since 1970); nil: at once.
    func nextWriteAt(rowsChanged: Bool, eventsChanged: Bool) -> Int64? {
        lastWrite.map { $0 + (eventsChanged ? Self.interval : rowsChanged ? rowsInterval : maxInterval) }
    }

    mutating func write(feed: FeedStatus, writer: RecordWriterCounters, now: UTCTimestamp, isStopping: Bool) {
        lastWrite = now.microseconds
        lastFeed = Self.withoutLiveness(feed)
        var status = CollectorStatus(
            market: market, pid: getpid(), state: Self.state(feed: feed, writer: writer, isStopping: isStopping),
            startedAt: startedAt,
            updatedAt: now, lastMessageAt: feed.lastMessageAt,
            rowsToday: .init(
                orderbook: writer.rowsWrittenToday(.orderBook), trades: writer.rowsWrittenToday(.trades),
                events: writer.rowsWrittenToday(.events),
                klines: KlineInterval.allCases.reduce(0) { $0 + writer.rowsWrittenToday(.klines($1)) }),
            checksumFailures: feed.checksumFailureCount, reconnects: feed.reconnectCount)
        if recordsTicker { status.rowsToday.ticker = writer.rowsWrittenToday(.ticker) }
        if !ohlcIntervals.isEmpty {
            status.rowsToday.ohlc = ohlcIntervals.reduce(0) { $0 + writer.rowsWrittenToday(.ohlc($1)) }
        }
        status.rowsLost = writer.rowsDropped
        status.lastWriteError = writer.lastError
        status.lastWriteErrorAt = writer.lastErrorAt
        status.isLosingRows = writer.isLosingRows
        status.failedConnectionAttempts = feed.failedConnectionAttempts
        status.lastConnectionError = feed.lastConnectionError
        for sink in reportingSinks { sink.describe(into: &status) }
        // A failed status write must not stop recording; the supervisor notices the stale heartbeat.
        try? status.write(to: path)
    }

    private static func withoutLiveness(_ feed: FeedStatus) -> FeedStatus {
        var status = feed
        status.lastMessageAt = nil
        return status
    }

    /// The feed's state, except that a market whose rows do not reach the disk is never `live`.
    static func state(feed: FeedStatus, writer: RecordWriterCounters, isStopping: Bool) -> String {
        if isStopping { return "stopped" }
        return writer.isLosingRows ? losingRowsState : feed.stateName
    }

    static let losingRowsState = "losing_rows"
}
