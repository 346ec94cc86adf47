/// When a group next looks through its parts for rows to hand over at a frame
/// (`MarketGroupRecorder.handOverWaitingRows`): not before the earliest waiting row has waited its
/// share of the hand-over delay, nor before a row made since the last look could have. Looking
/// through 24 parts at every frame was a twentieth of a group collector's instructions (issue 10,
/// callgrind); with the files' 500 ms delay the group now looks about four times a second.
///
/// Looks are also at least half the shortest wait apart (125 ms with the files' 250): in a group of
/// 60–100 parts (`auto`'s 8 connections) some part's row came due at nearly every frame, so the
/// group looked through every part at every frame (7.5% of a group collector's CPU, `perf`). A row
/// then reaches the writer at most 1.5 × its share after it was made (375 of the files' 500 ms).
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
        let fresh = Self.adding(shortestWait, to: heard)
        let spaced = Self.adding(shortestWait / Self.spacingShare, to: heard)
        nextLookAt = max(min(earliestWaiting ?? .max, fresh), spaced)
    }

    /// Looks are at least `shortestWait / spacingShare` apart.
    static let spacingShare: Int64 = 2

    private static func adding(_ wait: Int64, to heard: Int64) -> Int64 {
        wait > Int64.max - heard ? Int64.max : heard + wait
    }
}
