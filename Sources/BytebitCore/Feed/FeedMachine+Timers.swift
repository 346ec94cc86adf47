/// What the passing of time decides: reconnects, pings, deadlines and retries.
extension FeedMachine {
    mutating func tick(_ now: UTCTimestamp) -> [FeedAction] {
        switch connection {
        case .idle, .finished:
            return []
        case .waitingToReconnect(let until):
            return now >= until ? attemptConnect(now) : []
        case .connecting:
            // The transport's connect deadline ends the attempt; its ending arrives as `connectionEnded`.
            return []
        case .connected(let since):
            if let dead = deadConnection(connectedSince: since, now) {
                return stale(dead, now)
            }
            return pingIfDue(now) + retriesDue(now)
        }
    }

    /// Why the open connection must be dropped, if it must.
    private func deadConnection(connectedSince since: UTCTimestamp, _ now: UTCTimestamp) -> String? {
        let policy = configuration.policy
        if let pingOutstandingSince, FeedTime.hasElapsed(policy.pongTimeout, from: pingOutstandingSince, to: now) {
            return "no pong within \(seconds(policy.pongTimeout))"
        }
        let lastHeard = max(lastMessageAt ?? since, since)
        if hasActiveSubscription, FeedTime.hasElapsed(policy.staleAfter, from: lastHeard, to: now) {
            return "no message for \(FeedTime.seconds(from: lastHeard, to: now))"
        }
        if let instrumentSnapshotDeadline, now >= instrumentSnapshotDeadline, !isBackingOff(instrument) {
            return "no instrument snapshot within \(seconds(policy.requestTimeout))"
        }
        switch book {
        case .subscribing(let requested), .awaitingSnapshot(let requested):
            if FeedTime.hasElapsed(policy.requestTimeout, from: requested, to: now) {
                return "no book snapshot within \(seconds(policy.requestTimeout)) of subscribing"
            }
        case .disabled, .idle, .live, .unsubscribing, .coolingDown, .backingOff: break
        }
        if case .subscribing(let requested) = trade,
            FeedTime.hasElapsed(policy.requestTimeout, from: requested, to: now)
        {
            return "no trade subscription ack within \(seconds(policy.requestTimeout))"
        }
        return nil
    }

    private mutating func pingIfDue(_ now: UTCTimestamp) -> [FeedAction] {
        guard let last = lastPingSentAt, FeedTime.hasElapsed(configuration.policy.pingInterval, from: last, to: now)
        else { return [] }
        lastPingSentAt = now
        if pingOutstandingSince == nil {
            pingOutstandingSince = now
        }
        return [.send(FeedRequest.ping(requestID: takeRequestID()))]
    }

    /// Resubscribes after an unanswered unsubscribe or a rejection back-off; ends a breaker cool-down.
    private mutating func retriesDue(_ now: UTCTimestamp) -> [FeedAction] {
        var actions: [FeedAction] = []
        if case .backingOff(let until) = instrument, now >= until {
            actions.append(subscribe(.instrument, now))
            instrumentSnapshotDeadline = FeedTime.instant(now, plus: configuration.policy.requestTimeout)
        }
        switch book {
        case .unsubscribing(let since, let reason):
            if FeedTime.hasElapsed(configuration.policy.unsubscribeTimeout, from: since, to: now) {
                actions += resubscribeBook(reason: "\(reason) (unsubscribe not acknowledged)", now)
            }
        case .backingOff(let until):
            if now >= until, precisions != nil {
                actions.append(subscribe(.book, now))
            }
        case .coolingDown(let until):
            if now >= until {
                return actions + endConnection(reason: "checksum breaker cool-down over", closeIt: true, now)
            }
        case .disabled, .idle, .subscribing, .awaitingSnapshot, .live: break
        }
        if case .backingOff(let until) = trade, now >= until {
            actions.append(subscribe(.trade, now))
        }
        return actions
    }

    private func isBackingOff(_ stage: ChannelStage) -> Bool {
        if case .backingOff = stage { return true }
        return false
    }

    private func seconds(_ duration: Duration) -> String {
        FeedTime.seconds(microseconds: FeedTime.microseconds(duration))
    }
}
