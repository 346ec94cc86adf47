import CWebSockets
import Foundation
import Logging

/// Routes libwebsockets' own log lines (one process-wide hook in the C library) to a swift-log `Logger`.
public enum LibwebsocketsLog {
    private final class Sink: @unchecked Sendable {
        let lock = NSLock()
        var logger: Logger?
    }

    private static let sink = Sink()

    /// Sends libwebsockets' lines to `logger` from now on (the most recent caller wins: the hook is global).
    public static func route(to logger: Logger) {
        sink.lock.lock()
        sink.logger = logger
        sink.lock.unlock()
        var severities = Int32(BB_WS_LOG_ERROR | BB_WS_LOG_WARNING)
        if logger.logLevel <= .debug { severities |= Int32(BB_WS_LOG_NOTICE) }
        if logger.logLevel <= .trace { severities |= Int32(BB_WS_LOG_INFO) }
        bb_ws_set_log_sink(severities) { severity, line in
            guard let line else { return }
            LibwebsocketsLog.emit(severity: severity, line: String(cString: line))
        }
    }

    private static func emit(severity: Int32, line: String) {
        sink.lock.lock()
        let logger = sink.logger
        sink.lock.unlock()
        guard let logger else { return }
        // lws "errors" include expected endings (refused, bad certificate) that the run reports anyway.
        let level: Logger.Level =
            switch severity {
            case Int32(BB_WS_LOG_ERROR): .warning
            case Int32(BB_WS_LOG_WARNING): .info
            case Int32(BB_WS_LOG_NOTICE): .debug
            default: .trace
            }
        logger.log(level: level, "libwebsockets", metadata: ["lws.line": .string(line)])
    }
}
