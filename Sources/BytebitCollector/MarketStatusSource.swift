import BytebitCore
import Foundation

/// What one market's status says (`CollectorStatus`), built from its feed and its files' counters:
/// written alone to a market's status file (`StatusReporter`), or with the other markets of its
/// group to the group's one file (`GroupStatusReporter`).
struct MarketStatusSource {
    let market: String
    let startedAt: UTCTimestamp
    /// This process's id, asked once: `getpid` is a system call each time (glibc keeps no copy), and
    /// a group's status asked it for every market at every write.
    let pid = getpid()
    /// Whether the market records the ticker, and Kraken's candles at which intervals (their row
    /// counts then appear in the status, zero included).
    var recordsTicker = false
    var ohlcIntervals: [OHLCInterval] = []
    /// Outputs that add their counters to the status (Redis).
    var reportingSinks: [any ReportingSink] = []

    init(market: String, startedAt: UTCTimestamp) {
        self.market = market
        self.startedAt = startedAt
    }

    func status(feed: FeedStatus, writer: RecordWriterCounters, now: UTCTimestamp, isStopping: Bool) -> CollectorStatus {
        var status = CollectorStatus(
            market: market, pid: pid, state: Self.state(feed: feed, writer: writer, isStopping: isStopping),
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
        return status
    }

    /// The feed's state, except that a market whose rows do not reach the disk is never `live`.
    static func state(feed: FeedStatus, writer: RecordWriterCounters, isStopping: Bool) -> String {
        if isStopping { return "stopped" }
        return writer.isLosingRows ? losingRowsState : feed.stateName
    }

    static let losingRowsState = "losing_rows"

    /// The feed's status without its liveness time: a heartbeat is no change of state.
    static func withoutLiveness(_ feed: FeedStatus) -> FeedStatus {
        var status = feed
        status.lastMessageAt = nil
        return status
    }
}
