import BytebitCore

/// Kraken's connection limit: about 150 connection attempts per client IP per rolling 10 minutes,
/// then a 10-minute ban (../shared/docs/kraken-v2.md §1.3).
public struct SimConnectionLimit: Sendable, Hashable {
    /// Attempts allowed within one window; the next one is refused and starts a ban.
    public var attempts: Int
    /// Length of the rolling window, seconds.
    public var windowSeconds: Double
    /// How long every attempt is refused once the limit is passed, seconds.
    public var banSeconds: Double

    public init(attempts: Int = 150, windowSeconds: Double = 600, banSeconds: Double = 600) {
        self.attempts = attempts
        self.windowSeconds = windowSeconds
        self.banSeconds = banSeconds
    }
}

/// Counts connection attempts and, when a limit is set, refuses those past it. Every client of the
/// simulator is on 127.0.0.1, so there is one client IP and one budget.
struct SimConnectionLimiter {
    /// The close reason a refused client gets (Kraken's Cloudflare answers HTTP 429 before the upgrade;
    /// the simulator's server has no pre-upgrade hook, so it refuses right after it, before `status`).
    static let refusalReason = "429 Too Many Requests: connection limit exceeded"

    let rule: SimConnectionLimit?
    /// Real times of the attempts inside the current window, oldest first.
    private var recentAttempts: [UTCTimestamp] = []
    private(set) var bannedUntil: UTCTimestamp?
    private(set) var attempts = 0
    private(set) var refusals = 0
    private(set) var bans = 0

    init(rule: SimConnectionLimit?) {
        self.rule = rule
    }

    /// Counts an attempt at `now`; false when it must be refused.
    mutating func admit(at now: UTCTimestamp) -> Bool {
        attempts += 1
        guard let rule else { return true }
        recentAttempts.append(now)
        let windowStart = now.adding(seconds: -rule.windowSeconds)
        if let firstInside = recentAttempts.firstIndex(where: { $0 > windowStart }) {
            recentAttempts.removeFirst(firstInside)
        }
        if let bannedUntil, now < bannedUntil {
            refusals += 1
            return false
        }
        bannedUntil = nil
        guard recentAttempts.count > rule.attempts else { return true }
        refusals += 1
        bans += 1
        bannedUntil = now.adding(seconds: rule.banSeconds)
        return false
    }

    /// Whether an attempt at `now` would be refused by a running ban.
    func isBanned(at now: UTCTimestamp) -> Bool {
        bannedUntil.map { now < $0 } ?? false
    }
}
