import BytebitCore
import Foundation
import Logging

/// Reads a child's stdout or stderr pipe and logs each whole line tagged with its market.
///
/// A collector's own lines look like `2026-…Z notice [BTC-USD] message key=value`: their level is
/// kept and their timestamp dropped (the supervisor's log stamps them again); other lines are logged
/// whole at `info`.
final class ChildOutputReader: @unchecked Sendable {
    /// Longest line kept whole; longer ones are cut so a runaway child cannot exhaust memory.
    static let maximumLineLength = 16 * 1024

    private let handle: FileHandle
    private let source: any DispatchSourceRead
    private var pending: [UInt8] = []
    private let logger: Logger

    /// Starts reading `handle` on `queue`, logging lines to `logger`; closes the handle at EOF.
    init(handle: FileHandle, queue: DispatchQueue, logger: Logger) {
        self.handle = handle
        self.logger = logger
        let descriptor = handle.fileDescriptor
        source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: queue)
        source.setEventHandler { [self] in readAvailable() }
        source.setCancelHandler { [handle] in try? handle.close() }
        source.resume()
    }

    private func readAvailable() {
        var chunk = [UInt8](repeating: 0, count: 8192)
        let count = chunk.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
        if count < 0 && (errno == EINTR || errno == EAGAIN) { return }
        guard count > 0 else {
            if !pending.isEmpty { emit(pending) }
            pending = []
            source.cancel()
            return
        }
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

    private func emit(_ bytes: [UInt8]) {
        let line = String(decoding: bytes, as: UTF8.self)
        guard !line.isEmpty else { return }
        let (level, message) = Self.split(line)
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
