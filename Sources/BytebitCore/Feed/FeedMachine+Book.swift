/// The book's verification: snapshot → live, checksum mismatch → one resync, and the breaker.
extension FeedMachine {
    /// `acceptsBookMessages`, read in place. `mutating` though it changes nothing: a recorder keeps
    /// the machine in a class's stored property, and a getter called there copies the whole
    /// machine first (with a retain and release of everything in it: ~400 instructions, twice
    /// per book message); a mutating call works on the stored value itself.
    public mutating func readAcceptsBookMessages() -> Bool { acceptsBookMessages }

    /// `isBookWritable`, read in place (see `readAcceptsBookMessages`).
    public mutating func readIsBookWritable() -> Bool { isBookWritable }

    mutating func bookVerified(isSnapshot: Bool, _ now: UTCTimestamp) -> [FeedAction] {
        guard isSnapshot else { return [] }
        switch bookStage {
        case .subscribing?, .awaitingSnapshot?:
            channelWentLive(.book, now)
            // During maintenance the book is not trusted: the `snapshot` row (end of the gap) waits
            // for the resync that follows `online`.
            guard !isMaintenance else { return [] }
            return [.recordEvent(name: .snapshot, detail: "book \(configuration.symbol) in sync")]
        case .idle?, .live?, .unsubscribing?, .coolingDown?, .backingOff?, nil:
            return []
        }
    }

    mutating func checksumMismatched(expected: UInt32, computed: UInt32, _ now: UTCTimestamp) -> [FeedAction] {
        switch bookStage {
        case .subscribing?, .awaitingSnapshot?, .live?: break
        case .idle?, .unsubscribing?, .coolingDown?, .backingOff?, nil:
            // In flight from the subscription being replaced: already handled, never a second resync.
            return []
        }
        checksumFailureCount += 1
        return bookUntrusted(
            .recordEvent(name: .checksumMismatch, detail: "expected \(expected), computed \(computed)"),
            reason: "checksum mismatch", now)
    }

    /// A frame that could not be decoded may have been a book message. Its loss need not show in a
    /// later checksum (the next update of the same level overwrites it), so while the book is live
    /// it is a gap and a resync, like a mismatch. Before the snapshot the snapshot deadline covers it.
    mutating func malformedFrameReceived(reason: String, _ now: UTCTimestamp) -> [FeedAction] {
        malformedFrameCount += 1
        guard bookStage == .live else { return [] }
        return bookUntrusted(
            .recordEvent(name: .malformedFrame, detail: "\(reason); the book may have missed a message"),
            reason: "malformed frame", now)
    }

    /// The book can no longer be trusted: the gap's row, then one resync (or the breaker).
    private mutating func bookUntrusted(_ gapRow: FeedAction, reason: String, _ now: UTCTimestamp) -> [FeedAction] {
        guard var session else { return [] }
        let policy = configuration.policy
        let window = TimeSpan(policy.mismatchBreakerWindow)
        let horizon = now.advanced(by: TimeSpan(microseconds: -window.microseconds))
        session.recentMismatches = session.recentMismatches.filter { $0 > horizon } + [now]
        var actions = [gapRow]
        let count = session.recentMismatches.count
        guard count >= policy.mismatchBreakerLimit else {
            self.session = session
            return actions + resyncBook(reason: reason, now)
        }
        // Mismatches keep coming right after fresh snapshots: resubscribing will not help (and
        // trips Kraken's rate limit). Stop the book, wait, then start over on a new connection.
        let coolDown = TimeSpan(policy.mismatchCoolDown)
        session.recentMismatches.removeAll()
        session.channels[.book] = .coolingDown(until: now.advanced(by: coolDown))
        self.session = session
        actions += [
            .resetBook,
            unsubscribe(.book),
            .recordEvent(
                name: .resync,
                detail:
                    "breaker: \(count) checksum mismatches or malformed frames within \(window.secondsText); book paused, reconnecting in \(coolDown.secondsText)"
            ),
        ]
        return actions
    }

    /// Discards the book and unsubscribes; the resubscribe follows the ack (or a timeout).
    mutating func resyncBook(reason: String, _ now: UTCTimestamp) -> [FeedAction] {
        session?.channels[.book] = .unsubscribing(since: now, reason: reason)
        return [.resetBook, unsubscribe(.book)]
    }

    mutating func unsubscriptionAnswered(_ channel: FeedChannel, _ now: UTCTimestamp) -> [FeedAction] {
        guard channel == .book, case .unsubscribing(_, let reason)? = bookStage else { return [] }
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
