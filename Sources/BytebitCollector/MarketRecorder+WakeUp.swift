import BytebitCore

/// When the recorder next needs a tick (issue 10 item 5: idle costs nothing): the feed's next
/// deadline, the next interval tick, the hand-over of recorded rows, the status write.
extension MarketRecorder {
    /// Rows wait at most this long before they are handed to the files' writer (as the 100 ms tick did).
    static let flushDelay: Int64 = 100_000

    /// The earliest due instant in microseconds since 1970 (nil: nothing until a frame arrives).
    func nextWakeUp(now: Int64) -> Int64? {
        var next = feed.nextDeadline?.microseconds
        func consider(_ candidate: Int64?) {
            if let candidate { next = min(next ?? candidate, candidate) }
        }
        if let schedule = intervalSchedule { consider(schedule.nextTick) }
        for keeper in candleKeepers { consider(keeper.nextDeadline?.microseconds) }
        if let since = unflushedSince { consider(since + Self.flushDelay) }
        consider(klines?.nextDueInstant?.microseconds)
        if let statusReporter { consider(statusReporter.nextWriteAt(changed: recordedSinceStatus) ?? now) }
        return next
    }
}
