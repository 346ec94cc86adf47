/// Each part's next wake-up as the group last asked it, asked again only for the parts that took
/// something since (issue 10: the group asked all of its 27–38 parts after every service pass of
/// the connection, a sixth of a group collector's CPU). The group marks a part stale whenever it
/// hands it a frame, a tick or a request, and every part on anything that reaches them all.
struct GroupWakeUps {
    /// Each part's wake-up (microseconds since 1970; `Int64.max`: none), by the part's index.
    private var dueAt: [Int64]
    private var stale: [Int] = []
    private var isStale: [Bool]
    private var allStale = true
    /// Whether a part recorded ledger rows since the group's status was written (its status is due sooner).
    private(set) var eventsSinceStatus = false
    /// The least of `dueAt` while `isEarliestKnown`: the group asks after every wake-up, and looking
    /// through a 60–100-part group's wake-ups each time was ~1,000 instructions (issue 10,
    /// callgrind). Kept as parts are asked; looked for again only when the part that held it moved later.
    private var earliestDue = Int64.max
    private var isEarliestKnown = false

    init(partCount: Int) {
        dueAt = Array(repeating: .max, count: partCount)
        isStale = Array(repeating: false, count: partCount)
        stale.reserveCapacity(partCount)
    }

    /// The part at `index` took an input: ask it again.
    mutating func markStale(_ index: Int) {
        guard !allStale, !isStale[index] else { return }
        isStale[index] = true
        stale.append(index)
    }

    /// Something reached every part.
    mutating func markAllStale() {
        allStale = true
    }

    /// The group's status was written: no events since.
    mutating func statusWritten() {
        eventsSinceStatus = false
    }

    /// Asks the stale parts again; then the earliest wake-up of all (nil: none).
    mutating func earliest(parts: [MarketRecorder], now: Int64) -> Int64? {
        refresh(parts: parts, now: now)
        return earliest()
    }

    /// The earliest wake-up as last asked (nil: none).
    mutating func earliest() -> Int64? {
        if !isEarliestKnown {
            earliestDue = dueAt.min() ?? .max
            isEarliestKnown = true
        }
        return earliestDue == .max ? nil : earliestDue
    }

    /// The indices of the parts due at `now` (after asking the stale ones again).
    mutating func due(parts: [MarketRecorder], now: Int64) -> [Int] {
        refresh(parts: parts, now: now)
        return dueAt.indices.filter { dueAt[$0] <= now }
    }

    private mutating func refresh(parts: [MarketRecorder], now: Int64) {
        if allStale {
            allStale = false
            for index in parts.indices { ask(parts[index], index, now) }
            for index in stale { isStale[index] = false }
        } else {
            for index in stale {
                isStale[index] = false
                ask(parts[index], index, now)
            }
        }
        stale.removeAll(keepingCapacity: true)
    }

    private mutating func ask(_ part: MarketRecorder, _ index: Int, _ now: Int64) {
        set(part.exitCode == nil ? part.nextWakeUp(now: now) ?? .max : .max, at: index)
        if part.eventsSinceStatus { eventsSinceStatus = true }
    }

    /// The part at `index` is next due at `due` (`Int64.max`: none).
    mutating func set(_ due: Int64, at index: Int) {
        let was = dueAt[index]
        dueAt[index] = due
        if due < earliestDue {
            earliestDue = due
        } else if was == earliestDue, due != was {
            isEarliestKnown = false
        }
    }
}
