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
        case .connected(let session):
            if let dead = deadConnection(session, now) {
                return stale(dead, now)
            }
            return pingIfDue(now) + retriesDue(now)
        }
    }

    /// Why the open connection must be dropped, if it must.
    private func deadConnection(_ session: ConnectedSession, _ now: UTCTimestamp) -> String? {
        let policy = configuration.policy
        let pongTimeout = TimeSpan(policy.pongTimeout)
        if let outstanding = session.pingOutstandingSince, outstanding.hasElapsed(pongTimeout, by: now) {
            return "no pong within \(pongTimeout.secondsText)"
        }
        let lastHeard = max(lastMessageAt ?? session.since, session.since)
        if session.hasActiveSubscription, lastHeard.hasElapsed(TimeSpan(policy.staleAfter), by: now) {
            return "no message for \(TimeSpan(from: lastHeard, to: now).secondsText)"
        }
        let requestTimeout = TimeSpan(policy.requestTimeout)
        // A ticker or ohlc left unanswered costs the connection nothing: `retriesDue` retries it alone.
        for channel in session.channels.channels where channel.refusalMeansUnlistedPair {
            if let requested = session.channels[channel]?.requestedAt, requested.hasElapsed(requestTimeout, by: now) {
                return channel.missedRequestDeadline(requestTimeout)
            }
        }
        return nil
    }

    private mutating func pingIfDue(_ now: UTCTimestamp) -> [FeedAction] {
        guard var session, session.lastPingSentAt.hasElapsed(TimeSpan(configuration.policy.pingInterval), by: now)
        else { return [] }
        session.lastPingSentAt = now
        if session.pingOutstandingSince == nil {
            session.pingOutstandingSince = now
        }
        self.session = session
        return [.send(FeedRequest.ping(requestID: takeRequestID()))]
    }

    /// Resubscribes after an unanswered unsubscribe or a rejection back-off; ends a breaker cool-down.
    private mutating func retriesDue(_ now: UTCTimestamp) -> [FeedAction] {
        var actions: [FeedAction] = []
        for channel in configuration.recordedChannels {
            switch session?.channels[channel] {
            case .backingOff(let until)? where now >= until:
                // Data channels need the precisions the reference channel brings.
                if channel.isReference || precisions != nil {
                    actions.append(subscribe(channel, now))
                }
            case .unsubscribing(let since, let reason)?
            where since.hasElapsed(TimeSpan(configuration.policy.unsubscribeTimeout), by: now):
                actions += resubscribeBook(reason: "\(reason) (unsubscribe not acknowledged)", now)
            case .subscribing(let since)?
            where !channel.refusalMeansUnlistedPair && since.hasElapsed(TimeSpan(configuration.policy.requestTimeout), by: now):
                actions += rejected(channel, error: channel.missedRequestDeadline(TimeSpan(configuration.policy.requestTimeout)), now)
            case .coolingDown(let until)? where now >= until:
                return actions + endConnection(reason: "checksum breaker cool-down over", closeIt: true, now)
            default:
                break
            }
        }
        return actions
    }
}
