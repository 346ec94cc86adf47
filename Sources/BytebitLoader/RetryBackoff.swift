/// Waits between attempts to reach the database: 1 s, 2 s, 4 s, ... at most 60 s; back to 1 s after
/// a success. A database that is down for hours costs one attempt (and at most one log line) a minute.
public struct RetryBackoff: Sendable, Equatable {
    public let first: Double
    public let limit: Double
    public private(set) var next: Double

    public init(first: Double = 1, limit: Double = 60) {
        self.first = first
        self.limit = limit
        next = first
    }

    /// The wait before the next attempt; each call doubles the one after, up to `limit`.
    public mutating func failed() -> Double {
        let wait = next
        next = min(next * 2, limit)
        return wait
    }

    public mutating func succeeded() { next = first }
}
