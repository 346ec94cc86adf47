/// At most `limit` connection attempts per rolling window (Kraken bans an IP for 10 minutes after
/// about 150 in 10 minutes; Kraken's CLI keeps to 120).
struct ConnectionBudget: Sendable, Equatable {
    let limit: Int
    let window: TimeSpan
    /// Attempt times inside the window, oldest first.
    private(set) var attempts: [UTCTimestamp] = []

    init(limit: Int, window: Duration) {
        self.limit = max(limit, 1)
        self.window = TimeSpan(window)
    }

    /// The earliest instant at or after `now` at which another attempt fits the budget.
    mutating func earliestAttempt(atOrAfter now: UTCTimestamp) -> UTCTimestamp {
        forgetAttempts(before: now)
        guard attempts.count >= limit else { return now }
        let freeing = attempts[attempts.count - limit]
        return freeing.advanced(by: window)
    }

    /// Counts an attempt made at `now`.
    mutating func record(_ now: UTCTimestamp) {
        forgetAttempts(before: now)
        attempts.append(now)
    }

    private mutating func forgetAttempts(before now: UTCTimestamp) {
        let horizon = now.microseconds - window.microseconds
        if let firstInside = attempts.firstIndex(where: { $0.microseconds > horizon }) {
            attempts.removeFirst(firstInside)
        } else {
            attempts.removeAll()
        }
    }
}
