/// Connecting, losing the connection, reconnecting and stopping.
extension FeedMachine {
    mutating func start(_ now: UTCTimestamp) -> [FeedAction] {
        guard connection == .idle else { return [] }
        return attemptConnect(now)
    }

    /// Connects now if the connection budget allows, else waits until it does.
    mutating func attemptConnect(_ now: UTCTimestamp) -> [FeedAction] {
        let allowed = budget.earliestAttempt(atOrAfter: now)
        if allowed > now {
            connection = .waitingToReconnect(until: allowed)
            return []
        }
        budget.record(now)
        lastConnectAttemptAt = now
        connectionAttempts += 1
        connection = .connecting(since: now)
        return [.connect]
    }

    mutating func connectionOpened(_ now: UTCTimestamp) -> [FeedAction] {
        guard case .connecting = connection else { return [] }
        connection = .connected(since: now)
        lastPingSentAt = now
        var actions: [FeedAction] = [
            .recordEvent(name: .connected, detail: "attempt \(connectionAttempts)")
        ]
        if configuration.recordsBook {
            actions.append(.resetBook)
        }
        actions.append(subscribe(.instrument, now))
        instrumentSnapshotDeadline = FeedTime.instant(now, plus: configuration.policy.requestTimeout)
        return actions
    }

    mutating func connectionLost(reason: String, _ now: UTCTimestamp) -> [FeedAction] {
        switch connection {
        case .connecting, .connected: return endConnection(reason: reason, closeIt: false, now)
        case .idle, .waitingToReconnect, .finished: return []
        }
    }

    /// Ends the current connection and schedules the next attempt. `closeIt`: the feed decided
    /// to end it, so the run loop must close the socket.
    mutating func endConnection(reason: String, closeIt: Bool, _ now: UTCTimestamp) -> [FeedAction] {
        var actions: [FeedAction] = closeIt ? [.disconnect(reason: reason)] : []
        if let liveSince, FeedTime.hasElapsed(configuration.policy.stableSession, from: liveSince, to: now) {
            backoff.reset()
        }
        resetConnectionState()
        var next = UTCTimestamp(microsecondsSince1970: now.microseconds + backoff.nextDelay(using: &random))
        if isMaintenance, let lastConnectAttemptAt {
            next = max(
                next, FeedTime.instant(lastConnectAttemptAt, plus: configuration.policy.maintenanceReconnectSpacing))
        }
        connection = .waitingToReconnect(until: next)
        let wait = FeedTime.seconds(from: now, to: next)
        actions.append(
            .recordEvent(
                name: .disconnected, detail: "\(reason); reconnecting in \(wait) (attempt \(backoff.attempts))"))
        if configuration.recordsBook {
            actions.append(.resetBook)
        }
        return actions
    }

    /// Records `stale` and drops the connection.
    mutating func stale(_ detail: String, _ now: UTCTimestamp) -> [FeedAction] {
        [.recordEvent(name: .stale, detail: detail)] + endConnection(reason: "stale: \(detail)", closeIt: true, now)
    }

    mutating func stop(_ now: UTCTimestamp) -> [FeedAction] {
        var actions: [FeedAction] = [.recordEvent(name: .stopped, detail: "stop requested")]
        switch connection {
        case .connecting, .connected: actions.append(.disconnect(reason: "stop requested"))
        case .idle, .waitingToReconnect, .finished: break
        }
        if configuration.recordsBook {
            actions.append(.resetBook)
        }
        connection = .finished
        return actions + [.exit(code: FeedExitCode.stopped)]
    }

    /// The pair is not listed: record it and exit 78 so the supervisor does not retry it.
    mutating func refusePair(_ detail: String) -> [FeedAction] {
        var actions: [FeedAction] = [
            .recordEvent(name: .rejected, detail: detail),
            .recordEvent(name: .stopped, detail: "\(configuration.symbol) is not listed by Kraken; fix the config"),
        ]
        switch connection {
        case .connecting, .connected: actions.append(.disconnect(reason: "pair not listed"))
        case .idle, .waitingToReconnect, .finished: break
        }
        connection = .finished
        return actions + [.exit(code: FeedExitCode.configuration)]
    }

    mutating func systemStatusChanged(to system: String, _ now: UTCTimestamp) -> [FeedAction] {
        let previous = systemStatus
        systemStatus = system
        if system == "online" {
            guard isMaintenance else { return [] }
            isMaintenance = false
            var actions: [FeedAction] = [
                .recordEvent(name: .maintenance, detail: "system online again (was \(previous ?? "unknown"))")
            ]
            if book == .live {
                actions += resyncBook(reason: "fresh snapshot after maintenance", now)
            }
            return actions
        }
        guard !isMaintenance || previous != system else { return [] }
        isMaintenance = true
        return [.recordEvent(name: .maintenance, detail: "system \(system): book data not trusted until online")]
    }

    /// Forgets everything that belonged to the connection that just ended.
    private mutating func resetConnectionState() {
        instrument = .idle
        instrumentSnapshotDeadline = nil
        book = configuration.recordsBook ? .idle : .disabled
        trade = configuration.recordsTrades ? .idle : .disabled
        pendingSubscriptions.removeAll()
        hasActiveSubscription = false
        lastPingSentAt = nil
        pingOutstandingSince = nil
        liveSince = nil
        recentMismatches.removeAll()
        rejectionStreaks.removeAll()
    }
}
