import BytebitCore

/// The ticks of `mode: interval`: instants on multiples of the interval since the epoch (so
/// `1s` ticks fall on whole UTC seconds), each handed out once, in order.
struct IntervalSchedule: Sendable {
    let interval: Int64
    private(set) var nextTick: Int64

    /// Ticks strictly after `start`.
    init(intervalMicroseconds: Int64, after start: UTCTimestamp) {
        interval = max(intervalMicroseconds, 1)
        nextTick = (start.microseconds / interval + 1) * interval
    }

    /// The ticks at or before `now` not handed out yet, oldest first.
    mutating func ticksDue(at now: UTCTimestamp) -> [UTCTimestamp] {
        var due: [UTCTimestamp] = []
        while nextTick <= now.microseconds {
            due.append(UTCTimestamp(microsecondsSince1970: nextTick))
            nextTick += interval
        }
        return due
    }
}
