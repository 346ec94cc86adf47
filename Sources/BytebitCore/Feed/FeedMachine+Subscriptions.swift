/// Subscribe requests, their acks and rejections, and the instrument reference data: the same
/// steps for every channel in the session's table.
extension FeedMachine {
    /// Sends a subscribe for `channel` and marks it pending.
    mutating func subscribe(_ channel: FeedChannel, _ now: UTCTimestamp) -> FeedAction {
        let requestID = takeRequestID()
        session?.pendingSubscriptions[requestID] = channel
        session?.channels[channel] = .subscribing(since: now)
        if configuration.sharesConnection {
            return .subscription(FeedSubscription(
                method: .subscribe, channel: channel, symbol: configuration.symbol, depth: configuration.bookDepth,
                requestID: requestID))
        }
        return .send(
            FeedRequest.subscribe(
                channel, symbol: configuration.symbol, depth: configuration.bookDepth, requestID: requestID))
    }

    /// Sends an unsubscribe for `channel`.
    mutating func unsubscribe(_ channel: FeedChannel) -> FeedAction {
        if configuration.sharesConnection {
            return .subscription(FeedSubscription(
                method: .unsubscribe, channel: channel, symbol: configuration.symbol, depth: configuration.bookDepth,
                requestID: takeRequestID()))
        }
        return .send(
            FeedRequest.unsubscribe(
                channel, symbol: configuration.symbol, depth: configuration.bookDepth, requestID: takeRequestID()))
    }

    /// `channel` is flowing; the primary channel going live starts the session's stability clock.
    mutating func channelWentLive(_ channel: FeedChannel, _ now: UTCTimestamp) {
        session?.channels[channel] = .live
        if channel == configuration.primaryChannel, session?.liveSince == nil {
            session?.liveSince = now
        }
    }

    mutating func instrumentReceived(pairListed: Bool, price: Int, qty: Int, _ now: UTCTimestamp) -> [FeedAction] {
        guard pairListed else {
            if configuration.sharesConnection { return holdPair(now) }
            return refusePair("\(configuration.symbol) is absent from Kraken's instrument list (or delisted)")
        }
        let previous = precisions
        precisions = (price, qty)
        let wasHeld = isPairHeld
        isPairHeld = false
        guard session?.channels[.instrument] != .live || wasHeld else {
            // An update: a precision change invalidates the book's checksums.
            guard let previous, previous != (price, qty) else { return [] }
            switch bookStage {
            case .subscribing?, .awaitingSnapshot?, .live?:
                return resyncBook(
                    reason: "precision changed from \(previous.price)/\(previous.qty) to \(price)/\(qty)", now)
            case .idle?, .unsubscribing?, .coolingDown?, .backingOff?, nil:
                return []
            }
        }
        // The snapshot: the pair is listed and its precisions known, so the data channels may start.
        channelWentLive(.instrument, now)
        var actions: [FeedAction] = []
        for channel in configuration.recordedChannels where !channel.isReference && session?.channels[channel] == .idle {
            actions.append(subscribe(channel, now))
        }
        return actions
    }

    mutating func subscriptionAcknowledged(
        _ channel: FeedChannel, symbol: String?, _ now: UTCTimestamp
    ) -> [FeedAction] {
        guard channel.isReference || isOurs(symbol), var session else { return [] }
        session.pendingSubscriptions = session.pendingSubscriptions.filter { $0.value != channel }
        session.rejectionStreaks[channel] = nil
        session.hasActiveSubscription = true
        self.session = session
        guard case .subscribing(let since)? = session.channels[channel] else { return [] }
        if channel.waitsForSnapshot {
            self.session?.channels[channel] = .awaitingSnapshot(since: since)
        } else {
            channelWentLive(channel, now)
        }
        return channel.subscribedDetail(configuration).map { [.recordEvent(name: .subscribed, detail: $0)] } ?? []
    }

    mutating func subscriptionRejected(
        _ channel: FeedChannel?, symbol: String?, error: String, requestID: Int?, _ now: UTCTimestamp
    ) -> [FeedAction] {
        guard isOurs(symbol), let table = session?.channels else { return [] }
        let named = channel ?? requestID.flatMap { session?.pendingSubscriptions[$0] }
        // Unknown channel and req_id: it can only concern a subscription still unanswered.
        let channels = named.map { [$0] } ?? table.channels.filter(table.isSubscribing)
        // In a group the pair is held instead (the rejection back-off below); the others record on.
        // A refused ticker or ohlc alone is only that channel's rejection: the book records on.
        if error.lowercased().contains("currency pair not supported"), !configuration.sharesConnection,
            channels.isEmpty || channels.contains(where: \.refusalMeansUnlistedPair)
        {
            return refusePair("\(named?.rawValue ?? "subscribe") \(configuration.symbol): \(error)")
        }
        var actions: [FeedAction] = []
        for channel in channels where session?.channels.isSubscribing(channel) == true {
            actions += rejected(channel, error: error, now)
        }
        return actions
    }

    /// A refusal (or, for a ticker or ohlc, a missing ack) of one channel: a `rejected` row and a retry
    /// with doubling back-off.
    mutating func rejected(_ channel: FeedChannel, error: String, _ now: UTCTimestamp) -> [FeedAction] {
        guard var session else { return [] }
        session.pendingSubscriptions = session.pendingSubscriptions.filter { $0.value != channel }
        self.session = session
        let subject = channel.isReference ? channel.rawValue : "\(channel.rawValue) \(configuration.symbol)"
        let detail = "\(subject): \(error)"
        if error.lowercased().contains("already subscribed") {
            guard channel == .book else {
                // The subscription exists: as good as an ack.
                return [.recordEvent(name: .rejected, detail: detail)]
                    + subscriptionAcknowledged(channel, symbol: nil, now)
            }
            // A book subscription we did not know about sends no snapshot; only a new connection does.
            return [.recordEvent(name: .rejected, detail: detail)]
                + endConnection(
                    reason: "book already subscribed; reconnecting for a fresh snapshot", closeIt: true, now)
        }
        // Rate limit ("Exceeded msg rate") or anything unknown: wait, doubling, then try again.
        let streak = (session.rejectionStreaks[channel] ?? 0) + 1
        let policy = configuration.policy
        let first = TimeSpan(policy.rejectionBackoff).microseconds
        let delay = TimeSpan(
            microseconds: min(first << Int64(min(streak - 1, 20)), TimeSpan(policy.rejectionBackoffLimit).microseconds))
        self.session?.rejectionStreaks[channel] = streak
        self.session?.channels[channel] = .backingOff(until: now.advanced(by: delay))
        return [.recordEvent(name: .rejected, detail: "\(detail); retrying in \(delay.secondsText)")]
    }
}
