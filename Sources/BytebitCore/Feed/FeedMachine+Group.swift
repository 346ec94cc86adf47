/// A pair Kraken does not list, in a group of markets on one connection (SPEC §7): held, not exited.
extension FeedMachine {
    /// The pair is absent from the instrument snapshot, or an update lists it as delisted: one row,
    /// its data channels unsubscribed, nothing more until an instrument update lists it again.
    mutating func holdPair(_ now: UTCTimestamp) -> [FeedAction] {
        guard !isPairHeld else { return [] }
        let wasRecording = session?.channels[.instrument] == .live
        isPairHeld = true
        channelWentLive(.instrument, now)
        guard wasRecording else {
            return [.recordEvent(
                name: .rejected,
                detail: "\(configuration.symbol) is absent from Kraken's instrument list; held until Kraken lists it")]
        }
        var actions: [FeedAction] = [
            .recordEvent(name: .delisted, detail: "\(configuration.symbol) delisted by Kraken; recording stopped")
        ]
        for channel in configuration.recordedChannels where !channel.isReference {
            switch session?.channels[channel] {
            case .subscribing?, .awaitingSnapshot?, .live?, .unsubscribing?:
                actions.append(unsubscribe(channel))
            case .idle?, .coolingDown?, .backingOff?, nil:
                break
            }
            session?.channels[channel] = .idle
        }
        if configuration.recordsBook { actions.append(.resetBook) }
        return actions
    }
}

/// A pair's own trouble on a shared connection is settled for that pair alone: dropping the
/// connection would cost every other pair a gap and the group a connection attempt.
extension FeedMachine {
    /// A data channel's request deadline passed (no ack, or no book snapshot): that pair resubscribes.
    /// The book's row is `stale` (its gap); another channel's is `resync` (the book is not concerned).
    mutating func pairRequestsOverdue(_ now: UTCTimestamp) -> [FeedAction] {
        guard configuration.sharesConnection, let session else { return [] }
        let timeout = TimeSpan(configuration.policy.requestTimeout)
        var actions: [FeedAction] = []
        for channel in session.channels.channels where !channel.isReference {
            guard let requested = session.channels[channel]?.requestedAt, requested.hasElapsed(timeout, by: now)
            else { continue }
            let subject = "\(channel.missedRequestDeadline(timeout)) (\(configuration.symbol))"
            if channel == .book {
                actions.append(.recordEvent(name: .stale, detail: "\(subject); resubscribing this pair only"))
                actions += resyncBook(reason: "book request timed out", now)
            } else {
                actions.append(.recordEvent(name: .resync, detail: "\(subject); subscribing this pair again"))
                actions.append(subscribe(channel, now))
            }
        }
        return actions
    }

    /// The group sent `request` at `now` (it may have waited for the pacing): its deadline runs from
    /// here, so a long queue at start-up does not time requests out before they reach Kraken.
    public mutating func requestWentOut(_ request: FeedSubscription, at now: UTCTimestamp) {
        guard let stage = session?.channels[request.channel] else { return }
        switch (request.method, stage) {
        case (.subscribe, .subscribing(let since)) where since < now:
            guard session?.pendingSubscriptions[request.requestID] == request.channel else { return }
            session?.channels[request.channel] = .subscribing(since: now)
        case (.unsubscribe, .unsubscribing(let since, let reason)) where since < now:
            session?.channels[request.channel] = .unsubscribing(since: now, reason: reason)
        default:
            break
        }
    }
}
