/// Subscribe requests, their acks and rejections, and the instrument reference data.
extension FeedMachine {
    /// Sends a subscribe for `channel` and marks it pending.
    mutating func subscribe(_ channel: FeedChannel, _ now: UTCTimestamp) -> FeedAction {
        let requestID = takeRequestID()
        pendingSubscriptions[requestID] = channel
        switch channel {
        case .instrument: instrument = .subscribing(since: now)
        case .book: book = .subscribing(since: now)
        case .trade: trade = .subscribing(since: now)
        }
        return .send(
            FeedRequest.subscribe(
                channel, symbol: configuration.symbol, depth: configuration.bookDepth, requestID: requestID))
    }

    /// Sends an unsubscribe for `channel`.
    mutating func unsubscribe(_ channel: FeedChannel) -> FeedAction {
        .send(
            FeedRequest.unsubscribe(
                channel, symbol: configuration.symbol, depth: configuration.bookDepth, requestID: takeRequestID()))
    }

    mutating func instrumentReceived(pairListed: Bool, price: Int, qty: Int, _ now: UTCTimestamp) -> [FeedAction] {
        guard pairListed else {
            return refusePair("\(configuration.symbol) is absent from Kraken's instrument list (or delisted)")
        }
        let previous = precisions
        precisions = (price, qty)
        guard instrumentSnapshotDeadline != nil else {
            // An update: a precision change invalidates the book's checksums.
            guard let previous, previous != (price, qty) else { return [] }
            switch book {
            case .subscribing, .awaitingSnapshot, .live:
                return resyncBook(
                    reason: "precision changed from \(previous.price)/\(previous.qty) to \(price)/\(qty)", now)
            case .disabled, .idle, .unsubscribing, .coolingDown, .backingOff:
                return []
            }
        }
        instrumentSnapshotDeadline = nil
        var actions: [FeedAction] = []
        if book == .idle {
            actions.append(subscribe(.book, now))
        }
        if trade == .idle {
            actions.append(subscribe(.trade, now))
        }
        return actions
    }

    mutating func subscriptionAcknowledged(
        _ channel: FeedChannel, symbol: String?, _ now: UTCTimestamp
    ) -> [FeedAction] {
        guard channel == .instrument || isOurs(symbol) else { return [] }
        pendingSubscriptions = pendingSubscriptions.filter { $0.value != channel }
        rejectionStreaks[channel] = nil
        hasActiveSubscription = true
        switch channel {
        case .instrument:
            if case .subscribing = instrument { instrument = .subscribed }
            return []
        case .book:
            guard case .subscribing(let since) = book else { return [] }
            book = .awaitingSnapshot(since: since)
            return [
                .recordEvent(name: .subscribed, detail: "book \(configuration.symbol) depth \(configuration.bookDepth)")
            ]
        case .trade:
            guard case .subscribing = trade else { return [] }
            trade = .subscribed
            if book == .disabled, liveSince == nil {
                liveSince = now
            }
            return [.recordEvent(name: .subscribed, detail: "trade \(configuration.symbol)")]
        }
    }

    mutating func subscriptionRejected(
        _ channel: FeedChannel?, symbol: String?, error: String, requestID: Int?, _ now: UTCTimestamp
    ) -> [FeedAction] {
        guard isOurs(symbol) else { return [] }
        let named = channel ?? requestID.flatMap { pendingSubscriptions[$0] }
        if error.lowercased().contains("currency pair not supported") {
            return refusePair("\(named?.rawValue ?? "subscribe") \(configuration.symbol): \(error)")
        }
        // Unknown channel and req_id: it can only concern a subscription still unanswered.
        let channels = named.map { [$0] } ?? FeedChannel.allCases.filter(isSubscribing)
        var actions: [FeedAction] = []
        for channel in channels where isSubscribing(channel) {
            actions += rejected(channel, error: error, now)
            if case .finished = connection { break }
            if case .waitingToReconnect = connection { break }
        }
        return actions
    }

    func isSubscribing(_ channel: FeedChannel) -> Bool {
        switch channel {
        case .instrument: if case .subscribing = instrument { return true }
        case .book: if case .subscribing = book { return true }
        case .trade: if case .subscribing = trade { return true }
        }
        return false
    }

    private mutating func rejected(_ channel: FeedChannel, error: String, _ now: UTCTimestamp) -> [FeedAction] {
        pendingSubscriptions = pendingSubscriptions.filter { $0.value != channel }
        let subject = channel == .instrument ? "instrument" : "\(channel.rawValue) \(configuration.symbol)"
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
        let streak = (rejectionStreaks[channel] ?? 0) + 1
        rejectionStreaks[channel] = streak
        let policy = configuration.policy
        let first = FeedTime.microseconds(policy.rejectionBackoff)
        let delay = min(first << Int64(min(streak - 1, 20)), FeedTime.microseconds(policy.rejectionBackoffLimit))
        let until = UTCTimestamp(microsecondsSince1970: now.microseconds + delay)
        switch channel {
        case .instrument: instrument = .backingOff(until: until)
        case .book: book = .backingOff(until: until)
        case .trade: trade = .backingOff(until: until)
        }
        return [
            .recordEvent(name: .rejected, detail: "\(detail); retrying in \(FeedTime.seconds(microseconds: delay))")
        ]
    }
}
