import BytebitCore

/// When the recorder next needs a tick (issue 10 item 5: idle costs nothing): the feed's next
/// deadline, the next interval tick, the hand-over of recorded rows, the status write.
extension MarketRecorder {
    /// Rows wait at most this long before they are handed to the files' writer (as the 100 ms tick did).
    static let flushDelay: Int64 = 100_000

    /// The earliest due instant in microseconds since 1970 (nil: nothing until a frame arrives).
    func nextWakeUp(now: Int64) -> Int64? {
        var next = feedDeadline()
        func consider(_ candidate: Int64?) {
            if let candidate { next = min(next ?? candidate, candidate) }
        }
        if let schedule = intervalSchedule { consider(schedule.nextTick) }
        for keeper in candleKeepers { consider(keeper.nextDeadline?.microseconds) }
        if let since = unflushedSince { consider(since + handOverDelay) }
        consider(klines?.nextDueInstant?.microseconds)
        if let statusReporter {
            consider(statusReporter.nextWriteAt(rowsChanged: recordedSinceStatus, eventsChanged: eventsSinceStatus) ?? now)
        }
        return next
    }
}

extension MarketRecorder {
    /// The feed's next deadline, recomputed only after the feed took an input: a group asks every
    /// part at every wake-up, and reading it from the feed each time copied the whole machine
    /// (a fifth of a 27-market group collector's CPU under `perf`).
    func feedDeadline() -> Int64? {
        if let known = knownFeedDeadline { return known }
        let deadline = feed.readNextDeadline()?.microseconds
        knownFeedDeadline = .some(deadline)
        return deadline
    }

    /// The group sent one of this market's requests (its deadline starts now).
    func requestWentOut(_ request: FeedSubscription, at now: UTCTimestamp) {
        feed.requestWentOut(request, at: now)
        knownFeedDeadline = nil
        feedStatusMayHaveChanged = true
    }
}
