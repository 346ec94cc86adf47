/// The book's verification: snapshot → live, checksum mismatch → one resync, and the breaker.
extension FeedMachine {
    mutating func bookVerified(isSnapshot: Bool, _ now: UTCTimestamp) -> [FeedAction] {
        guard isSnapshot else { return [] }
        switch book {
        case .subscribing, .awaitingSnapshot:
            book = .live
            if liveSince == nil {
                liveSince = now
            }
            // During maintenance the book is not trusted: the `snapshot` row (end of the gap) waits
            // for the resync that follows `online`.
            guard !isMaintenance else { return [] }
            return [.recordEvent(name: .snapshot, detail: "book \(configuration.symbol) in sync")]
        case .disabled, .idle, .live, .unsubscribing, .coolingDown, .backingOff:
            return []
        }
    }

    mutating func checksumMismatched(expected: UInt32, computed: UInt32, _ now: UTCTimestamp) -> [FeedAction] {
        switch book {
        case .subscribing, .awaitingSnapshot, .live: break
        case .disabled, .idle, .unsubscribing, .coolingDown, .backingOff:
            // In flight from the subscription being replaced: already handled, never a second resync.
            return []
        }
        checksumFailureCount += 1
        let policy = configuration.policy
        let horizon = now.microseconds - FeedTime.microseconds(policy.mismatchBreakerWindow)
        recentMismatches = recentMismatches.filter { $0.microseconds > horizon } + [now]
        var actions: [FeedAction] = [
            .recordEvent(name: .checksumMismatch, detail: "expected \(expected), computed \(computed)")
        ]
        guard recentMismatches.count >= policy.mismatchBreakerLimit else {
            return actions + resyncBook(reason: "checksum mismatch", now)
        }
        // Mismatches keep coming right after fresh snapshots: resubscribing will not help (and
        // trips Kraken's rate limit). Stop the book, wait, then start over on a new connection.
        let count = recentMismatches.count
        recentMismatches.removeAll()
        let until = FeedTime.instant(now, plus: policy.mismatchCoolDown)
        book = .coolingDown(until: until)
        let window = FeedTime.seconds(microseconds: FeedTime.microseconds(policy.mismatchBreakerWindow))
        let coolDown = FeedTime.seconds(microseconds: FeedTime.microseconds(policy.mismatchCoolDown))
        actions += [
            .resetBook,
            unsubscribe(.book),
            .recordEvent(
                name: .resync,
                detail:
                    "breaker: \(count) checksum mismatches within \(window); book paused, reconnecting in \(coolDown)"),
        ]
        return actions
    }

    /// Discards the book and unsubscribes; the resubscribe follows the ack (or a timeout).
    mutating func resyncBook(reason: String, _ now: UTCTimestamp) -> [FeedAction] {
        book = .unsubscribing(since: now, reason: reason)
        return [.resetBook, unsubscribe(.book)]
    }

    mutating func unsubscriptionAnswered(_ channel: FeedChannel, _ now: UTCTimestamp) -> [FeedAction] {
        guard channel == .book, case .unsubscribing(_, let reason) = book else { return [] }
        return resubscribeBook(reason: reason, now)
    }

    /// Subscribes the book again, once, for a fresh snapshot.
    mutating func resubscribeBook(reason: String, _ now: UTCTimestamp) -> [FeedAction] {
        [
            .recordEvent(name: .resync, detail: "\(reason): book resubscribed for a fresh snapshot"),
            subscribe(.book, now),
        ]
    }
}
