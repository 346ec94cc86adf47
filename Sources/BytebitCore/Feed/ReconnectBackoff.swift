/// Kraken CLI's reconnect schedule: 1 s, 2 s, then 2^(n-1) s clamped to 5–30 s, plus 0–750 ms
/// jitter so that many collectors restarting together spread out.
struct ReconnectBackoff: Sendable, Equatable {
    /// Consecutive attempts since the last stable session.
    private(set) var attempts = 0

    static let maximumJitterMicroseconds: Int64 = 750_000

    /// The delay before the next attempt, in microseconds; counts the attempt.
    mutating func nextDelay(using random: inout any RandomNumberGenerator & Sendable) -> Int64 {
        attempts += 1
        let jitter = Int64(random.next() % UInt64(Self.maximumJitterMicroseconds + 1))
        return Self.baseDelayMicroseconds(attempt: attempts) + jitter
    }

    /// Forget the failures: the last session was stable.
    mutating func reset() {
        attempts = 0
    }

    /// The delay before attempt `attempt` (1-based) without jitter.
    static func baseDelayMicroseconds(attempt: Int) -> Int64 {
        switch attempt {
        case ...1: return 1_000_000
        case 2: return 2_000_000
        default:
            let doubled = Int64(1_000_000) << Int64(min(attempt - 1, 20))
            return min(max(doubled, 5_000_000), 30_000_000)
        }
    }
}
