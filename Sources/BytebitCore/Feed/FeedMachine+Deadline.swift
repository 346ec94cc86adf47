/// When the run loop must tick next.
extension FeedMachine {
    /// The earliest instant at which a `tick` can change anything (nil: no timer pending). The
    /// run loop may sleep until then, but must still feed every frame as it arrives.
    public var nextDeadline: UTCTimestamp? {
        let policy = configuration.policy
        var candidates: [UTCTimestamp?] = []
        switch connection {
        case .idle, .finished:
            return nil
        case .waitingToReconnect(let until):
            return until
        case .connecting:
            return nil  // the transport's connect deadline ends the attempt
        case .connected(let since):
            candidates.append(lastPingSentAt.map { FeedTime.instant($0, plus: policy.pingInterval) })
            candidates.append(pingOutstandingSince.map { FeedTime.instant($0, plus: policy.pongTimeout) })
            if hasActiveSubscription {
                candidates.append(FeedTime.instant(max(lastMessageAt ?? since, since), plus: policy.staleAfter))
            }
            candidates.append(instrumentSnapshotDeadline)
        }
        switch instrument {
        case .backingOff(let until): candidates.append(until)
        case .disabled, .idle, .subscribing, .subscribed: break
        }
        switch book {
        case .subscribing(let since), .awaitingSnapshot(let since):
            candidates.append(FeedTime.instant(since, plus: policy.requestTimeout))
        case .unsubscribing(let since, _):
            candidates.append(FeedTime.instant(since, plus: policy.unsubscribeTimeout))
        case .coolingDown(let until), .backingOff(let until):
            candidates.append(until)
        case .disabled, .idle, .live: break
        }
        switch trade {
        case .subscribing(let since): candidates.append(FeedTime.instant(since, plus: policy.requestTimeout))
        case .backingOff(let until): candidates.append(until)
        case .disabled, .idle, .subscribed: break
        }
        return candidates.compactMap { $0 }.min()
    }
}
