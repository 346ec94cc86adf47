import BytebitCore

/// When to warn that rows are being lost: at once when a loss begins, then at most once per
/// `interval` while it lasts; a loss that ends and starts again warns at once again.
struct WriteLossWarning: Sendable {
    static let interval: Int64 = 60_000_000
    private(set) var lastWarnedAt: UTCTimestamp?

    mutating func isDue(isLosingRows: Bool, now: UTCTimestamp) -> Bool {
        guard isLosingRows else {
            lastWarnedAt = nil
            return false
        }
        if let lastWarnedAt, now.microseconds - lastWarnedAt.microseconds < Self.interval { return false }
        lastWarnedAt = now
        return true
    }
}
