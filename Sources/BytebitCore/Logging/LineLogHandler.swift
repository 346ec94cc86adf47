import Foundation
import Logging

/// One line per log record — `2026-11-21T13:00:00.123456Z notice [BTC-USD] collector started
/// ws.url=wss://…` — written whole with a single `write(2)` to stderr (journald, or the supervisor
/// that tags it) and optionally to an appended log file. Lines from many threads never interleave.
public struct LineLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let sinks: LogSinks
    private let clock: any WallClock

    public init(label: String, level: Logger.Level, sinks: LogSinks, clock: any WallClock = SystemClock()) {
        self.label = label
        self.logLevel = level
        self.sinks = sinks
        self.clock = clock
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "\(clock.now()) \(event.level) [\(label)] \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() {
            line += " \(key)=\(merged[key].map { "\($0)" } ?? "")"
        }
        line += "\n"
        sinks.write(line)
    }
}

/// Where log lines go: stderr and/or a log file, shared by every handler of the process.
public final class LogSinks: @unchecked Sendable {
    private let lock = NSLock()
    private let toStderr: Bool
    private let filePath: String?
    private var fileDescriptor: Int32 = -1

    /// `filePath`: also append to this file (created if missing; reopened by `reopen()`).
    public init(stderr: Bool = true, filePath: String? = nil) {
        toStderr = stderr
        self.filePath = filePath
        reopen()
    }

    /// (Re)opens the log file: after logrotate moved it away, SIGUSR1 calls this.
    public func reopen() {
        guard let filePath else { return }
        let fd = open(filePath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        let failure = fd < 0 ? String(cString: strerror(errno)) : nil
        lock.withLock {
            if fileDescriptor >= 0 { close(fileDescriptor) }
            fileDescriptor = fd
        }
        if let failure { write("cannot open log file \(filePath): \(failure)\n") }
    }

    func write(_ line: String) {
        var bytes = Array(line.utf8)
        lock.withLock {
            bytes.withUnsafeMutableBytes { buffer in
                if toStderr { _ = Foundation.write(STDERR_FILENO, buffer.baseAddress, buffer.count) }
                if fileDescriptor >= 0 { _ = Foundation.write(fileDescriptor, buffer.baseAddress, buffer.count) }
            }
        }
    }
}

extension Logger.Level {
    /// Parses the names used in config.yaml (`trace` … `error`; `critical` too).
    public init?(configName: String) {
        self.init(rawValue: configName)
    }
}
