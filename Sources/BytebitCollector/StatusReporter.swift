import BytebitCore
import Foundation

/// Rewrites a market's status file (a market alone on its connection; a group's markets share one
/// file, `GroupStatusReporter`): at most once a second while the market's state changes (events,
/// the feed's status) or rows are recorded, and at least every `maxInterval` (the supervisor's
/// heartbeat, whose timeout of 30 s stays well above it; `Heartbeat.defaultTimeoutMicroseconds`).
/// The source of `bytebit status`.
struct StatusReporter {
    let path: String
    /// What the status says.
    var source: MarketStatusSource
    private var lastWrite: Int64?
    /// The feed's status as last written, without its liveness time (heartbeats are no change).
    private var lastFeed: FeedStatus?

    /// The least spacing of writes while the state changes or rows are recorded.
    static let interval: Int64 = 1_000_000
    /// The longest spacing of writes: a quiet market still shows it is alive.
    static let maxInterval: Int64 = 5_000_000

    init(path: String, source: MarketStatusSource) {
        self.path = path
        self.source = source
    }

    /// Writes when due; `rowsChanged`: rows were recorded since the last write, `eventsChanged`:
    /// ledger rows were. True when written.
    @discardableResult
    mutating func writeIfDue(
        feed: FeedStatus, writer: RecordWriterCounters, now: UTCTimestamp, rowsChanged: Bool, eventsChanged: Bool
    ) -> Bool {
        if let lastWrite {
            let elapsed = now.microseconds - lastWrite
            let changed = rowsChanged || eventsChanged || MarketStatusSource.withoutLiveness(feed) != lastFeed
            guard elapsed >= Self.maxInterval || (changed && elapsed >= Self.interval) else { return false }
        }
        write(feed: feed, writer: writer, now: now, isStopping: false)
        return true
    }

    /// When the next write is due (microseconds since 1970); nil: at once.
    func nextWriteAt(rowsChanged: Bool, eventsChanged: Bool) -> Int64? {
        lastWrite.map { $0 + (rowsChanged || eventsChanged ? Self.interval : Self.maxInterval) }
    }

    mutating func write(feed: FeedStatus, writer: RecordWriterCounters, now: UTCTimestamp, isStopping: Bool) {
        lastWrite = now.microseconds
        lastFeed = MarketStatusSource.withoutLiveness(feed)
        // A failed status write must not stop recording; the supervisor notices the stale heartbeat.
        try? source.status(feed: feed, writer: writer, now: now, isStopping: isStopping).write(to: path)
    }
}
