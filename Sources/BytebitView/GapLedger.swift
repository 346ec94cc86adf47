import BytebitCore

/// A period in which the order book file has no rows because the data was not trustworthy (SPEC §4.3).
public struct Gap: Sendable, Equatable {
    /// When the gap began (the event that started it).
    public var start: UTCTimestamp
    /// The `snapshot` that ended it; nil if the day's ledger ends inside the gap.
    public var end: UTCTimestamp?
    /// The event that opened it: `checksum_mismatch`, `disconnected`, `stale`, `stopped`, ….
    public var reason: String
    /// That event's free-text detail.
    public var detail: String

    /// end − start in microseconds, or nil while open.
    public var durationMicroseconds: Int64? { end.map { $0.microseconds - start.microseconds } }
}

/// Turns an events ledger into gaps: each runs from a gap-opening event to the next `snapshot`.
public struct GapLedger: Sendable {
    /// Gaps closed by a snapshot, in order.
    public private(set) var gaps: [Gap] = []
    private var open: Gap?
    private var hasEvents = false

    public init() {}

    /// Feeds the next event in file order.
    public mutating func record(_ event: EventRow) {
        defer { hasEvents = true }
        // Names from a newer version that this one does not know are free text: no gap.
        guard let role = LedgerEvent(rawValue: event.event)?.gapRole else { return }
        if role == .closes {
            if var gap = open {
                gap.end = event.timestamp
                gaps.append(gap)
                open = nil
            }
        } else if open == nil, role.opensGap(afterEarlierEvents: hasEvents) {
            // `started` opens one only after earlier rows: a restart with no `stopped` (a killed collector).
            open = Gap(start: event.timestamp, end: nil, reason: event.event, detail: event.detail)
        }
    }

    /// Every gap, the last one open if no snapshot closed it.
    public var allGaps: [Gap] { open.map { gaps + [$0] } ?? gaps }

    /// The gaps that overlap `window`.
    public func gaps(overlapping window: TimeWindow) -> [Gap] {
        allGaps.filter { gap in
            if let to = window.to, gap.start >= to { return false }
            if let from = window.from, let end = gap.end, end <= from { return false }
            return true
        }
    }
}
