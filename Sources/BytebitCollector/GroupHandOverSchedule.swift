/// When a group next looks through its parts for rows to hand over at a frame
/// (`MarketGroupRecorder.handOverWaitingRows`): not before the earliest waiting row has waited its
/// share of the hand-over delay, nor before a row made since the last look could have. Looking
/// through 24 parts at every frame was a twentieth of a group collector's instructions (issue 10,
/// callgrind); with the files' 500 ms delay the group now looks about four times a second.
///
/// Only the early hand-over is spaced out: each part's own hand-over deadline still wakes the group.
struct GroupHandOverSchedule {
    /// When to look next (microseconds since 1970); nil: at the next frame.
    private(set) var nextLookAt: Int64?

    /// Whether a frame heard at `heard` looks through the parts.
    func isDue(at heard: Int64) -> Bool {
        nextLookAt.map { heard >= $0 } ?? true
    }

    /// After a look at `heard`: `earliestWaiting` is when the first row still waiting is due (nil:
    /// none waits), `shortestWait` the least wait of a row made from now on (rows are stamped with
    /// the clock, so none made later is due before `heard + shortestWait`).
    mutating func looked(at heard: Int64, earliestWaiting: Int64?, shortestWait: Int64) {
        let fresh = shortestWait > Int64.max - heard ? Int64.max : heard + shortestWait
        nextLookAt = min(earliestWaiting ?? .max, fresh)
    }
}
