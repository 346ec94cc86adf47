import Foundation

/// A stop asked for on any thread (a signal, the supervisor's pipe) and acted on once by the
/// recorder's own thread: the first reason wins, and it is handed over exactly once.
final class PendingStop: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: String?
    private var isHandled = false

    /// Any thread: remembers the first reason.
    func request(_ reason: String) {
        lock.withLock { if self.reason == nil { self.reason = reason } }
    }

    /// Whether a stop was asked for (handled or not).
    var isRequested: Bool { lock.withLock { reason != nil } }

    /// The reason, the first time it is asked for after a request; nil otherwise.
    func takeUnhandled() -> String? {
        lock.withLock {
            guard let reason, !isHandled else { return nil }
            isHandled = true
            return reason
        }
    }
}
