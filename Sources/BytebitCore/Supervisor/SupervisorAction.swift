import Foundation
import Logging

/// Something the supervisor's run loop must do, in the order given.
public enum SupervisorAction: Sendable, Equatable {
    /// Start a collector for this group of markets; report `.childStarted` or `.spawnFailed` by its name.
    case spawn(CollectorLaunch)
    /// Send `signal` to the collector `pid` (SIGKILL goes to its whole process group).
    case signal(pid: Int32, signal: Int32)
    /// Report `.timerFired(timer)` at `at`.
    case schedule(SupervisorTimer, at: UTCTimestamp)
    /// Write this line to the supervisor's log.
    case log(SupervisorLogLine)
    /// Send these newline-separated assignments to systemd (`READY=1`, `STATUS=…`, `STOPPING=1`).
    case notifySystemd(String)
    /// Delete the status file of a market that is no longer recorded.
    case removeStatusFile(MarketPair)
    /// The run is over: exit with this code.
    case exit(code: Int32)
}

/// One line for the supervisor's log.
public struct SupervisorLogLine: Sendable, Equatable, CustomStringConvertible {
    /// Its level.
    public var level: Logger.Level
    /// Its message.
    public var message: String
    /// Its `key=value` fields.
    public var metadata: [String: String]

    /// A line as given.
    public init(_ level: Logger.Level, _ message: String, _ metadata: [String: String] = [:]) {
        self.level = level
        self.message = message
        self.metadata = metadata
    }

    /// `warning collector hung market=BTC-USD`, for test failures.
    public var description: String {
        ([level.rawValue, message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            .joined(separator: " ")
    }
}
