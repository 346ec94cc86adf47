/// The hung-child rule: a collector rewrites its status file every few seconds; one that has not
/// done so for `timeout` is stuck (stopped, deadlocked) and is killed and restarted.
public struct Heartbeat: Sendable, Equatable {
    /// How long a collector may go without a fresh status, in microseconds.
    public var timeoutMicroseconds: Int64

    /// The production timeout: 30 s.
    public static let defaultTimeoutMicroseconds: Int64 = 30_000_000

    /// A rule with this timeout.
    public init(timeoutMicroseconds: Int64 = Heartbeat.defaultTimeoutMicroseconds) {
        self.timeoutMicroseconds = timeoutMicroseconds
    }

    /// Whether a child started at `startedAt`, whose last status (if any) was written at
    /// `lastUpdate`, is hung at `now`. A status older than the start belongs to the previous process.
    public func isHung(startedAt: UTCTimestamp, lastUpdate: UTCTimestamp?, now: UTCTimestamp) -> Bool {
        let latest = max(startedAt, lastUpdate ?? startedAt)
        return now.microseconds - latest.microseconds > timeoutMicroseconds
    }
}

extension Heartbeat {
    /// The status file of each running collector (a group's one file, or its market's): its
    /// modification time is the collector's heartbeat.
    public static func statusFiles(
        of running: [String: [MarketPair]], in runDirectory: RunDirectory
    ) -> [String: String] {
        var files: [String: String] = [:]
        for (name, pairs) in running {
            files[name] = runDirectory.statusFile(collector: name, pairs: pairs.map(\.name))
        }
        return files
    }
}
