import BytebitCore
import Logging

/// Feeding inputs to the feed state machine and carrying out the actions it returns.
extension MarketRecorder {
    /// `at`: when the input happened (a frame's receive time), so ledger rows line up with data rows.
    func handle(_ input: FeedInput, at instant: UTCTimestamp? = nil) {
        let now = instant ?? clock.now()
        knownFeedDeadline = nil
        if !input.leavesFeedStatus { feedStatusMayHaveChanged = true }
        for action in feed.handle(input, at: now) {
            perform(action, now: now)
        }
    }

    private func perform(_ action: FeedAction, now: UTCTimestamp) {
        switch action {
        case .connect:
            wantsConnection = true
        case .disconnect(let reason):
            logger.info("closing the connection", metadata: ["reason": "\(reason)"])
            endedByFeed = true
            if let group {
                group.closeConnection(reason: reason)
            } else {
                transport.closeConnection()
            }
        case .send(let text):
            logger.trace("sending", metadata: ["ws.request": "\(text)"])
            if let group {
                group.send(text: text)
            } else {
                transport.send(text: text)
            }
        case .subscription(let request):
            if let group {
                group.enqueue(request)
            } else {
                transport.send(text: request.text)
            }
        case .resetBook:
            book.removeAll()
            hasBookSnapshot = false
        case .recordEvent(let name, let detail):
            record(event: name, detail: detail, at: now)
        case .reportConnectionTrouble(let trouble):
            logger.log(level: trouble.level, "\(trouble.message)", metadata: ["attempts": "\(trouble.failedAttempts)"])
        case .exit(let code):
            exitCode = code
            // A group's connection serves the other markets: the group ends it when all are done.
            if group == nil { transport.stop() }
        }
    }

    /// Appends a row to the events ledger and logs it as the row reads (`rejected: ticker ETH/BTC: …`),
    /// with no metadata after it: a collector's last warning line is what `bytebit status` shows for
    /// a held market.
    func record(event: LedgerEvent, detail: String, at instant: UTCTimestamp? = nil) {
        let now = instant ?? clock.now()
        emit(event: LedgerRecord(timestamp: now, event: event, detail: detail))
        logger.log(level: event.logLevel, "\(event.name): \(detail)")
    }
}
