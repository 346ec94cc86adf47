import Foundation

/// The connection budget every collector of one host shares, so that together they stay under
/// Kraken's limit (about 150 connection attempts per IP per rolling 10 minutes; a breach bans the
/// IP for 10 minutes), also when fifty of them reconnect at once after a network blip.
///
/// The ledger is a small text file (one attempt time in microseconds per line) guarded by
/// `flock(2)`, so separate processes — and separate ledgers in one process — see one budget.
/// A collector calls `reserveAttempt(now:)` before each connection attempt.
public final class ConnectionLedger: Sendable {
    /// The shared file.
    public let path: String
    /// Attempts allowed within `window`.
    public let limit: Int
    /// The rolling window, in microseconds.
    public let windowMicroseconds: Int64
    /// The least time between any two attempts, in microseconds: spreads simultaneous reconnects.
    public let staggerMicroseconds: Int64

    /// Attempts allowed per window by default: below Kraken's ~150 to leave room for manual tools.
    public static let defaultLimit = 120
    /// Kraken's rolling window: 10 minutes.
    public static let defaultWindowMicroseconds: Int64 = 600 * 1_000_000
    /// Default spacing between attempts: 50 reconnects spread over 5 s.
    public static let defaultStaggerMicroseconds: Int64 = 100_000

    /// A ledger on `path` (created on first use).
    public init(
        path: String, limit: Int = ConnectionLedger.defaultLimit,
        windowMicroseconds: Int64 = ConnectionLedger.defaultWindowMicroseconds,
        staggerMicroseconds: Int64 = ConnectionLedger.defaultStaggerMicroseconds
    ) {
        self.path = path
        self.limit = max(1, limit)
        self.windowMicroseconds = windowMicroseconds
        self.staggerMicroseconds = staggerMicroseconds
    }

    /// Asks to connect at `now`: nil means go now (the attempt is recorded); otherwise the earliest
    /// time at which asking again can succeed.
    public func reserveAttempt(now: UTCTimestamp) throws(SupervisorError) -> UTCTimestamp? {
        try withLockedFile { attempts in
            let decision = Self.decide(
                attempts: attempts, now: now, limit: limit, windowMicroseconds: windowMicroseconds,
                staggerMicroseconds: staggerMicroseconds)
            attempts = decision.keptAttempts
            if decision.retryAt == nil { attempts.append(now.microseconds) }
            return decision.retryAt
        }
    }

    /// How many attempts fall within the window ending at `now` (for `bytebit status` and logs).
    public func recentAttemptCount(now: UTCTimestamp) throws(SupervisorError) -> Int {
        try withLockedFile { attempts in
            attempts.filter { $0 > now.microseconds - windowMicroseconds && $0 <= now.microseconds }.count
        }
    }

    /// The pure budget rule: which attempts still count and when the next one may go.
    static func decide(
        attempts: [Int64], now: UTCTimestamp, limit: Int, windowMicroseconds: Int64, staggerMicroseconds: Int64
    ) -> (keptAttempts: [Int64], retryAt: UTCTimestamp?) {
        // Attempts in the future come from a clock that stepped back; they still count, so a
        // stepped clock cannot open the budget wide.
        let kept = attempts.filter { $0 > now.microseconds - windowMicroseconds }.sorted()
        var earliest = now.microseconds
        if kept.count >= limit {
            earliest = max(earliest, kept[kept.count - limit] + windowMicroseconds)
        }
        if let last = kept.last {
            earliest = max(earliest, last + staggerMicroseconds)
        }
        let retryAt = earliest > now.microseconds ? UTCTimestamp(microsecondsSince1970: earliest) : nil
        return (kept, retryAt)
    }

    private func withLockedFile<Result>(_ body: (inout [Int64]) -> Result) throws(SupervisorError) -> Result {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .ledgerUnavailable(path: path, reason: SupervisorError.errnoText()) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .ledgerUnavailable(path: path, reason: SupervisorError.errnoText()) }
        }
        defer { flock(fd, LOCK_UN) }
        let original = try readAll(fd)
        var attempts = Self.parse(original)
        let result = body(&attempts)
        let updated = attempts.map { "\($0)\n" }.joined()
        if updated != String(decoding: original, as: UTF8.self) {
            try rewrite(fd, with: Array(updated.utf8))
        }
        return result
    }

    private func readAll(_ fd: Int32) throws(SupervisorError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            throw .ledgerUnavailable(path: path, reason: SupervisorError.errnoText())
        }
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .ledgerUnavailable(path: path, reason: SupervisorError.errnoText())
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    private func rewrite(_ fd: Int32, with bytes: [UInt8]) throws(SupervisorError) {
        // Under the lock, so no reader sees the truncated file; a crash in between loses at most the
        // budget's memory, which errs towards fewer remembered attempts for one window.
        guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
            throw .ledgerUnavailable(path: path, reason: SupervisorError.errnoText())
        }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes {
                Foundation.write(fd, $0.baseAddress?.advanced(by: written), $0.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .ledgerUnavailable(path: path, reason: SupervisorError.errnoText())
            }
            written += count
        }
    }

    /// One attempt time per line; anything unreadable (a torn line) is skipped.
    static func parse(_ bytes: [UInt8]) -> [Int64] {
        bytes.split(separator: UInt8(ascii: "\n")).compactMap { Int64(String(decoding: $0, as: UTF8.self)) }
    }
}
