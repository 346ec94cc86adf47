import BytebitCore
import Foundation

/// Rewrites a group collector's one status file (`CollectorGroupStatus`: every carried market's
/// `CollectorStatus`, in the group's order): within a second of an event, within two of a change
/// of any market's feed state without one (the feeds are compared at most once a second), and
/// otherwise every `maxInterval` (rows alone do not hurry it; the
/// supervisor's heartbeat timeout of 30 s stays well above it). One file per collector instead of
/// one per market: 672 markets' JSON files, each rewritten by rename every 10 s, were a quarter of
/// a group collector's CPU and most of the supervisor's (issue 10, measured with `perf`).
struct GroupStatusReporter {
    let path: String
    private var lastWrite: Int64?
    /// When the parts' feed states were last compared with `lastFeeds`.
    private var lastFeedCheck: Int64?
    /// Each part's feed status as last written, without its liveness time, in the parts' order.
    private var lastFeeds: [FeedStatus?] = []

    /// The least spacing of writes while a market's state changes.
    static let interval: Int64 = 1_000_000
    /// The spacing of writes while only rows are recorded, and the longest.
    static let maxInterval: Int64 = 10_000_000

    init(path: String) {
        self.path = path
    }

    /// When the next write is due (microseconds since 1970); nil: at once. `eventsChanged`: a
    /// market recorded ledger rows since the last write.
    func nextWriteAt(eventsChanged: Bool) -> Int64? {
        lastWrite.map { $0 + (eventsChanged ? Self.interval : Self.maxInterval) }
    }

    /// Writes when due; true when written.
    @discardableResult
    mutating func writeIfDue(parts: [MarketRecorder], now: UTCTimestamp) -> Bool {
        if let lastWrite {
            let elapsed = now.microseconds - lastWrite
            guard elapsed >= Self.interval else { return false }
            if elapsed < Self.maxInterval, !stateChanged(parts, now: now.microseconds) { return false }
        }
        write(parts: parts, now: now, isStopping: false)
        return true
    }

    mutating func write(parts: [MarketRecorder], now: UTCTimestamp, isStopping: Bool) {
        lastWrite = now.microseconds
        lastFeedCheck = now.microseconds
        var statuses: [CollectorStatus] = []
        statuses.reserveCapacity(parts.count)
        lastFeeds = []
        for part in parts {
            let feed = part.feed.status
            lastFeeds.append(MarketStatusSource.withoutLiveness(feed))
            statuses.append(part.statusSource.status(
                feed: feed, writer: part.files.counters, now: now, isStopping: isStopping))
            part.recordedSinceStatus = false
            part.eventsSinceStatus = false
            part.feedStatusMayHaveChanged = false
        }
        let group = CollectorGroupStatus(pid: statuses.first?.pid ?? getpid(), updatedAt: now, markets: statuses)
        // A failed status write must not stop recording; the supervisor notices the stale heartbeat.
        try? group.write(to: path)
    }

    /// Whether any part recorded an event, or its feed's state moved, since the last write. The
    /// feeds are compared at most once per `interval`: the group asks at every wake-up. Only the
    /// feeds that took an input which may change their status are compared (a frame of data only
    /// moves the liveness time): reading every part's feed status was ~2,000 instructions each,
    /// a twentieth of a 24-market group's CPU (issue 10, callgrind).
    private mutating func stateChanged(_ parts: [MarketRecorder], now: Int64) -> Bool {
        if parts.contains(where: \.eventsSinceStatus) { return true }
        if let lastFeedCheck, now - lastFeedCheck < Self.interval { return false }
        lastFeedCheck = now
        for (index, part) in parts.enumerated() where part.feedStatusMayHaveChanged {
            let last = index < lastFeeds.count ? lastFeeds[index] : nil
            if MarketStatusSource.withoutLiveness(part.feed.status) != last { return true }
            part.feedStatusMayHaveChanged = false
        }
        return false
    }
}
