import Foundation
import Logging

/// A log handler that keeps every line (level, message, metadata) for tests to read.
public final class LogCapture: @unchecked Sendable {
    public struct Line: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]
    }

    private let lock = NSLock()
    private var captured: [Line] = []

    public init() {}

    public var lines: [Line] { lock.withLock { captured } }

    /// A logger whose lines land here.
    public func logger(label: String = "bytebit.test") -> Logger {
        Logger(label: label) { _ in Handler(capture: self) }
    }

    func append(_ line: Line) { lock.withLock { captured.append(line) } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(
            level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
            function: String, line: UInt
        ) {
            let merged = self.metadata.merging(metadata ?? [:]) { $1 }
            capture.append(Line(level: level, message: message.description, metadata: merged.mapValues { "\($0)" }))
        }
    }
}
