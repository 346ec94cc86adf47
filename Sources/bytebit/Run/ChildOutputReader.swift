import BytebitCore
import Foundation
import Logging

/// Reads a child's output pipe (its stdout and stderr share one) and logs each whole line tagged
/// with its market, on a thread of its own.
///
/// A collector's own lines look like `2026-…Z notice [BTC-USD] message key=value`: their level is
/// kept and their timestamp dropped (the supervisor's log stamps them again); other lines are logged
/// whole at `info`.
///
/// A blocking read on its own thread rather than a dispatch read source: with a dispatch source the
/// pipe's descriptor sits in libdispatch's epoll set, and Foundation.Process's handling of pipe
/// descriptors around child exits crashed the supervisor in `_dispatch_event_loop_drain` about
/// one run in three of the crash-loop test. A thread that reads until EOF cannot be left registered.
final class ChildOutputReader: @unchecked Sendable {
    /// Longest line kept whole; longer ones are cut so a runaway child cannot exhaust memory.
    static let maximumLineLength = 16 * 1024

    private let handle: FileHandle
    private var logger: Logger
    private let lock = NSLock()
    private var lastProblem: String?
    private let ended = DispatchSemaphore(value: 0)

    /// Starts reading `handle` until EOF, logging lines to `logger`; closes the handle at EOF.
    init(handle: FileHandle, logger: Logger) {
        self.handle = handle
        self.logger = logger
        let thread = Thread { [self] in readUntilEndOfFile() }
        thread.name = "bytebit.child-output"
        thread.stackSize = 128 * 1024
        thread.start()
    }

    private func readUntilEndOfFile() {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        let descriptor = handle.fileDescriptor
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            pending.append(contentsOf: chunk[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                emit(Array(pending[..<newline]))
                pending.removeSubrange(...newline)
            }
            if pending.count > Self.maximumLineLength {
                emit(pending)
                pending = []
            }
        }
        if !pending.isEmpty { emit(pending) }
        try? handle.close()
        ended.signal()
    }

    /// Tags every following line with the child's pid (known only once the reader runs).
    func tag(pid: Int32) {
        lock.withLock { logger[metadataKey: "pid"] = "\(pid)" }
    }

    /// The last line the child printed at `warning` or above, or outside the collector's log format
    /// (a panic, a shell's error): why a held market is held.
    var lastProblemLine: String? {
        lock.withLock { lastProblem }
    }

    /// Waits until the child's output has been read to its end, at most `seconds` (a grandchild may
    /// hold the pipe open): the exit is reported with the child's last words.
    func waitUntilEnd(seconds: Double) {
        if ended.wait(timeout: .now() + seconds) == .success { ended.signal() }
    }

    private func emit(_ bytes: [UInt8]) {
        let line = String(decoding: bytes, as: UTF8.self)
        guard !line.isEmpty else { return }
        let (level, message) = Self.split(line)
        if level >= .warning || message == line { lock.withLock { lastProblem = message } }
        let logger = lock.withLock { self.logger }
        logger.log(level: level, "\(message)")
    }

    /// The level and the message of a collector's log line; `info` and the whole line otherwise.
    static func split(_ line: String) -> (Logger.Level, String) {
        let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, UTCTimestamp(parts[0]) != nil, let level = Logger.Level(rawValue: String(parts[1])),
            parts[2].hasPrefix("["), parts[2].hasSuffix("]")
        else { return (.info, line) }
        return (level, String(parts[3]))
    }
}
