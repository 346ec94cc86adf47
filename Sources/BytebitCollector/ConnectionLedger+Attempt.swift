import BytebitCore
import Logging

extension ConnectionLedger {
    /// Asks the ledger shared with the other collectors whether a connection attempt may start now
    /// (Kraken bans an IP after ~150 attempts in 10 minutes); nil: go, else the time to ask again.
    /// An unusable ledger must not stop recording: it is logged and the attempt goes ahead.
    func attemptDelay(now: UTCTimestamp, logger: Logger) -> UTCTimestamp? {
        do {
            return try reserveAttempt(now: now)
        } catch {
            logger.warning("connection ledger unusable; connecting anyway", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
