/// When the run loop must tick next.
extension FeedMachine {
    /// The earliest instant at which a `tick` can change anything (nil: no timer pending). The
    /// run loop may sleep until then, but must still feed every frame as it arrives.
    public var nextDeadline: UTCTimestamp? {
        let policy = configuration.policy
        let session: ConnectedSession
        switch connection {
        case .idle, .finished:
            return nil
        case .waitingToReconnect(let until):
            return until
        case .connecting:
            return nil  // the transport's connect deadline ends the attempt
        case .connected(let open):
            session = open
        }
        // A running minimum, no array: the transport asks for this after every pass of its loop.
        var earliest = session.lastPingSentAt.advanced(by: TimeSpan(policy.pingInterval))
        func consider(_ candidate: UTCTimestamp?) {
            if let candidate, candidate < earliest { earliest = candidate }
        }
        consider(session.pingOutstandingSince?.advanced(by: TimeSpan(policy.pongTimeout)))
        if session.hasActiveSubscription {
            consider(max(lastMessageAt ?? session.since, session.since).advanced(by: TimeSpan(policy.staleAfter)))
        }
        for channel in session.channels.channels {
            consider(session.channels[channel].flatMap { deadline(of: $0) })
        }
        return earliest
    }

    /// `nextDeadline`, read in place (see `readAcceptsBookMessages`): the getter on a recorder's
    /// stored machine copied the whole machine first, once per wake-up (perf, issue 10).
    public mutating func readNextDeadline() -> UTCTimestamp? { nextDeadline }

    /// When a channel in `stage` needs a tick: its request deadline, retry or cool-down end.
    private func deadline(of stage: ChannelStage) -> UTCTimestamp? {
        let policy = configuration.policy
        switch stage {
        case .subscribing(let since), .awaitingSnapshot(let since):
            return since.advanced(by: TimeSpan(policy.requestTimeout))
        case .unsubscribing(let since, _):
            return since.advanced(by: TimeSpan(policy.unsubscribeTimeout))
        case .coolingDown(let until), .backingOff(let until):
            return until
        case .idle, .live:
            return nil
        }
    }
}
