import Foundation

/// Where "now" comes from. Production reads the system clock; tests inject a manual one so that
/// deadlines, backoff and day boundaries are exercised without sleeping.
public protocol WallClock: Sendable {
    func now() -> UTCTimestamp
}

/// The system's real-time clock.
public struct SystemClock: WallClock {
    public init() {}

    public func now() -> UTCTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UTCTimestamp(microsecondsSince1970: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000)
    }
}

/// A clock that moves only when told to: for tests.
public final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: UTCTimestamp

    public init(_ start: UTCTimestamp) {
        current = start
    }

    public func now() -> UTCTimestamp {
        lock.withLock { current }
    }

    public func advance(microseconds: Int64) {
        lock.withLock { current.microseconds += microseconds }
    }

    public func advance(by span: TimeSpan) {
        advance(microseconds: span.microseconds)
    }

    public func set(_ instant: UTCTimestamp) {
        lock.withLock { current = instant }
    }
}
