/// What the collectors' status files said, as the supervisor keeps it between reads: rows written
/// since the last progress line, rows lost since the run started, and when connection trouble was
/// last reported.
struct RunHealth: Sendable {
    /// One market's row counts at the last read, and whose they were.
    struct RowsSeen: Sendable {
        var pid: Int32
        var rows: CollectorStatus.RowCounts
    }

    /// The latest status of each running collector (its current process only), by market name.
    var statuses: [String: CollectorStatus] = [:]
    /// Rows lost by collectors of a market that have since ended, by market name.
    var lostByEndedCollectors: [String: Int] = [:]
    /// Row counts at the last read, by market name.
    var rowsSeen: [String: RowsSeen] = [:]
    /// Rows written since the last progress line.
    var rowsSinceProgress = CollectorStatus.RowCounts()
    /// When the last progress line was logged (the start, before the first).
    var lastProgressAt: UTCTimestamp?
    /// When connection trouble was last reported; nil while every market is connected.
    var lastConnectionSummaryAt: UTCTimestamp?

    /// Takes in the current processes' statuses (by market name): counts the rows written since the last read.
    mutating func record(_ current: [String: CollectorStatus]) {
        for (market, status) in current {
            let previous = rowsSeen[market]
            // A new process, or a new day (the counts start over), counts from zero.
            let base = previous.flatMap { $0.pid == status.pid && $0.rows.isAtMost(status.rowsToday) ? $0.rows : nil }
                ?? CollectorStatus.RowCounts()
            rowsSinceProgress.add(status.rowsToday.minus(base))
            rowsSeen[market] = RowsSeen(pid: status.pid, rows: status.rowsToday)
        }
        statuses = current
    }

    /// A collector ended: keep what it lost (its last status's count; later losses died with it).
    mutating func collectorEnded(_ pair: MarketPair) {
        if let status = statuses.removeValue(forKey: pair.name), status.rowsLost > 0 {
            lostByEndedCollectors[pair.name, default: 0] += status.rowsLost
        }
    }

    /// Rows lost since the run started, every market together.
    var rowsLost: Int {
        lostByEndedCollectors.values.reduce(0, +) + statuses.values.reduce(0) { $0 + $1.rowsLost }
    }

    /// The markets whose last write failed, by name.
    var marketsLosingRows: [String] {
        statuses.values.filter(\.isLosingRows).map(\.market).sorted()
    }

    /// `, 120 rows lost (losing rows now: BTC-USD)`, or nothing when no row was lost.
    var lossSummary: String {
        let losing = marketsLosingRows
        guard rowsLost > 0 || !losing.isEmpty else { return "" }
        let now = losing.isEmpty ? "" : " (losing rows now: \(losing.joined(separator: ", ")))"
        return ", \(rowsLost) row\(rowsLost == 1 ? "" : "s") lost\(now)"
    }
}

extension CollectorStatus.RowCounts {
    /// Whether no count is above `other`'s.
    func isAtMost(_ other: Self) -> Bool {
        orderbook <= other.orderbook && trades <= other.trades && events <= other.events && klines <= other.klines
    }

    /// The counts less `other`'s.
    func minus(_ other: Self) -> Self {
        Self(orderbook: orderbook - other.orderbook, trades: trades - other.trades, events: events - other.events,
             klines: klines - other.klines)
    }

    /// Adds `other`'s counts.
    mutating func add(_ other: Self) {
        orderbook += other.orderbook
        trades += other.trades
        events += other.events
        klines += other.klines
    }
}
