import BytebitCore
import Foundation

/// Rewrites the collector's status file about once a second: the supervisor's heartbeat and the
/// source of `bytebit status`.
struct StatusReporter {
    let path: String
    let market: String
    let startedAt: UTCTimestamp
    private var lastWrite: Int64?

    static let interval: Int64 = 1_000_000

    init(path: String, market: String, startedAt: UTCTimestamp) {
        self.path = path
        self.market = market
        self.startedAt = startedAt
    }

    mutating func writeIfDue(feed: FeedStatus, writer: RecordWriterCounters, now: UTCTimestamp) {
        if let lastWrite, now.microseconds - lastWrite < Self.interval { return }
        write(feed: feed, writer: writer, now: now, isStopping: false)
    }

    mutating func write(feed: FeedStatus, writer: RecordWriterCounters, now: UTCTimestamp, isStopping: Bool) {
        lastWrite = now.microseconds
        var status = CollectorStatus(
            market: market, pid: getpid(), state: Self.state(feed: feed, writer: writer, isStopping: isStopping),
            startedAt: startedAt,
            updatedAt: now, lastMessageAt: feed.lastMessageAt,
            rowsToday: .init(
                orderbook: writer.rowsWrittenToday(.orderBook), trades: writer.rowsWrittenToday(.trades),
                events: writer.rowsWrittenToday(.events)),
            checksumFailures: feed.checksumFailureCount, reconnects: feed.reconnectCount)
        status.rowsLost = writer.rowsDropped
        status.lastWriteError = writer.lastError
        status.lastWriteErrorAt = writer.lastErrorAt
        status.isLosingRows = writer.isLosingRows
        status.failedConnectionAttempts = feed.failedConnectionAttempts
        status.lastConnectionError = feed.lastConnectionError
        // A failed status write must not stop recording; the supervisor notices the stale heartbeat.
        try? status.write(to: path)
    }

    /// The feed's state, except that a market whose rows do not reach the disk is never `live`.
    static func state(feed: FeedStatus, writer: RecordWriterCounters, isStopping: Bool) -> String {
        if isStopping { return "stopped" }
        return writer.isLosingRows ? losingRowsState : feed.stateName
    }

    static let losingRowsState = "losing_rows"
}
