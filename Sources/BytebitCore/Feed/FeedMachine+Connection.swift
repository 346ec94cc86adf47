import Logging

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
        switch connection {
        case .connecting: break
        // A group's connection opened, whichever market asked for it: it is this market's too.
        case .idle, .waitingToReconnect: guard configuration.sharesConnection else { return [] }
        case .connected, .finished: return []
        }
        var detail = "attempt \(connectionAttempts)"
        if let outage {
            // The end of the outage's gap row: how long it lasted and what it took.
            let attempts = outage.failedAttempts + 1
            detail += "; reconnected after \(attempts == 1 ? "1 attempt" : "\(attempts) attempts")"
                + " in \(TimeSpan(from: outage.since, to: now).secondsText)"
        }
        outage = nil
        isPairHeld = false
        connection = .connected(ConnectedSession(openedAt: now, recording: configuration.recordedChannels))
        var actions: [FeedAction] = [.recordEvent(name: .connected, detail: detail)]
        if configuration.recordsBook {
            actions.append(.resetBook)
        }
        actions.append(subscribe(.instrument, now))
        return actions
    }

    mutating func connectionLost(reason: String, _ now: UTCTimestamp) -> [FeedAction] {
        switch connection {
        case .connecting, .connected: return endConnection(reason: reason, closeIt: false, now)
        case .idle, .waitingToReconnect, .finished: return []
        }
    }

    /// Ends the current connection (or attempt) and schedules the next attempt. `closeIt`: the
    /// feed decided to end it, so the run loop must close the socket.
    ///
    /// One outage is one `disconnected` row, written when it begins; attempts that fail after it
    /// only count (status) and report their trouble (log), louder from the
    /// `connectionWarningAfterFailures`-th in a row.
    mutating func endConnection(reason: String, closeIt: Bool, _ now: UTCTimestamp) -> [FeedAction] {
        var actions: [FeedAction] = closeIt ? [.disconnect(reason: reason)] : []
        let policy = configuration.policy
        let opened = session
        if let liveSince = opened?.liveSince, liveSince.hasElapsed(TimeSpan(policy.stableSession), by: now) {
            backoff.reset()
        }
        var next = UTCTimestamp(microsecondsSince1970: now.microseconds + backoff.nextDelay(using: &random))
        if isMaintenance, let lastConnectAttemptAt {
            next = max(next, lastConnectAttemptAt.advanced(by: TimeSpan(policy.maintenanceReconnectSpacing)))
        }
        // Dropping the session forgets everything that belonged to the connection that just ended.
        connection = .waitingToReconnect(until: next)
        lastConnectionError = reason
        let wait = TimeSpan(from: now, to: next)
        let failedAttempt = opened == nil
        if var outage {
            // The outage goes on: count the failure, write no second row.
            if failedAttempt { outage.failedAttempts += 1 }
            self.outage = outage
        } else {
            outage = ConnectionOutage(since: now, failedAttempts: failedAttempt ? 1 : 0)
            actions.append(
                .recordEvent(
                    name: .disconnected,
                    detail: "\(reason); reconnecting in \(wait.secondsText) (attempt \(backoff.attempts))"))
        }
        if failedAttempt, let failures = outage?.failedAttempts {
            let level: Logger.Level = failures >= policy.connectionWarningAfterFailures ? .warning : .info
            actions.append(
                .reportConnectionTrouble(
                    ConnectionTrouble(failedAttempts: failures, reason: reason, retryIn: wait, level: level)))
        }
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
        return actions + [.exit(code: ExitStatus.clean.rawValue)]
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
        return actions + [.exit(code: ExitStatus.configuration.rawValue)]
    }

    /// An instrument update delisted the pair while it was recording: a `delisted` row (SPEC §7),
    /// then stop with 78 as for an unlisted pair, so it is not restarted.
    mutating func pairDelisted() -> [FeedAction] {
        var actions: [FeedAction] = [
            .recordEvent(name: .delisted, detail: "\(configuration.symbol) delisted by Kraken; recording stopped"),
            .recordEvent(name: .stopped, detail: "\(configuration.symbol) delisted by Kraken"),
        ]
        switch connection {
        case .connecting, .connected: actions.append(.disconnect(reason: "pair delisted"))
        case .idle, .waitingToReconnect, .finished: break
        }
        connection = .finished
        return actions + [.exit(code: ExitStatus.configuration.rawValue)]
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
            if bookStage == .live {
                actions += resyncBook(reason: "fresh snapshot after maintenance", now)
            }
            return actions
        }
        guard !isMaintenance || previous != system else { return [] }
        isMaintenance = true
        return [.recordEvent(name: .maintenance, detail: "system \(system): book data not trusted until online")]
    }
}
