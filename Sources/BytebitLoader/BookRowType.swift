import BytebitCore

/// The `type` column of `kraken_orderbook`. The files have no type column, so it is derived from the
/// pair's events ledger of the same day (README "PostgreSQL"):
/// - `interval`: the row was written in interval mode (the mode named by the latest `started` event
///   before the row; without one that day, the config's mode);
/// - `snapshot`: the first row of the book after a gap: its `received_at` lies between the gap-opening
///   event (`started`, `checksum_mismatch`, `disconnected`, `stale`, `maintenance`, `write_failed`,
///   `stopped`) that precedes a `snapshot` event and that `snapshot` event, and the row before it was
///   received before the gap opened (no row is written inside a gap, SPEC §4.3);
/// - `update`: every other row.
public enum BookRowType: String, Sendable, Equatable {
    case snapshot
    case update
    case interval
}

/// The facts of one pair's day ledger that type its order book rows.
public struct BookRowTyper: Sendable, Equatable {
    /// One gap: from its opening event to the `snapshot` event that closed it (microseconds).
    struct Window: Sendable, Equatable {
        var opened: Int64
        var synced: Int64
    }

    /// When the mode changed (a `started` event), and to which; sorted.
    private(set) var modeChanges: [(at: Int64, isInterval: Bool)] = []
    private(set) var windows: [Window] = []
    private let defaultIsInterval: Bool

    static let gapOpeners: Set<String> = [
        "started", "checksum_mismatch", "disconnected", "stale", "maintenance", "write_failed", "stopped",
    ]

    public init(defaultMode: BookMode) {
        if case .interval = defaultMode { defaultIsInterval = true } else { defaultIsInterval = false }
    }

    /// Reads the day's ledger rows (time, event, detail), in file order.
    public init(defaultMode: BookMode, dayStart: Int64, events: [(time: Int64, event: String, detail: String)]) {
        self.init(defaultMode: defaultMode)
        var opened = dayStart
        for row in events {
            if row.event == "started", let range = row.detail.range(of: "mode ") {
                let word = row.detail[range.upperBound...].prefix { $0.isLetter }
                modeChanges.append((row.time, word == "interval"))
            }
            if row.event == "snapshot" {
                windows.append(Window(opened: opened, synced: row.time))
            } else if Self.gapOpeners.contains(row.event) {
                opened = row.time
            }
        }
    }

    /// The type of a row received at `receivedAt`, the row before it (in the same file sequence) having
    /// been received at `previousReceivedAt` (nil for the first row of the day).
    public func type(receivedAt: Int64, previousReceivedAt: Int64?) -> BookRowType {
        if isInterval(at: receivedAt) { return .interval }
        // The first window whose `snapshot` event is at or after the row.
        var low = 0
        var high = windows.count
        while low < high {
            let middle = (low + high) / 2
            if windows[middle].synced < receivedAt { low = middle + 1 } else { high = middle }
        }
        guard low < windows.count else { return .update }
        let window = windows[low]
        guard window.opened <= receivedAt else { return .update }
        if let previousReceivedAt, previousReceivedAt >= window.opened { return .update }
        return .snapshot
    }

    private func isInterval(at time: Int64) -> Bool {
        modeChanges.last { $0.at <= time }?.isInterval ?? defaultIsInterval
    }

    public static func == (a: BookRowTyper, b: BookRowTyper) -> Bool {
        a.windows == b.windows && a.defaultIsInterval == b.defaultIsInterval
            && a.modeChanges.map(\.at) == b.modeChanges.map(\.at)
            && a.modeChanges.map(\.isInterval) == b.modeChanges.map(\.isInterval)
    }
}

extension BookRowType {
    /// The value's UTF-8 bytes, made once (a COPY row takes them for every book row).
    var bytes: [UInt8] {
        switch self {
        case .snapshot: Self.snapshotBytes
        case .update: Self.updateBytes
        case .interval: Self.intervalBytes
        }
    }

    private static let snapshotBytes = Array("snapshot".utf8)
    private static let updateBytes = Array("update".utf8)
    private static let intervalBytes = Array("interval".utf8)
}
