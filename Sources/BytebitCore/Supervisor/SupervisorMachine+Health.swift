import Logging

/// The run-wide summaries drawn from the collectors' status files: the progress line (rows
/// written, rows lost) and the connection summary (which markets are not connected, and why).
extension SupervisorMachine {
    /// Feed states with no open connection to Kraken.
    static let unconnectedStates: Set<String> = ["idle", "connecting", "backing_off", "reconnecting", "stopped"]

    mutating func statusesRead(_ statuses: [CollectorStatus], _ now: UTCTimestamp) -> [SupervisorAction] {
        var runningPIDs: [String: Int32] = [:]
        for collector in collectors.values {
            guard let pid = collector.pid else { continue }
            for pair in collector.launch.pairs { runningPIDs[pair.name] = pid }
        }
        var current: [String: CollectorStatus] = [:]
        // A status left by an earlier process of the market says nothing about the current one.
        for status in statuses where runningPIDs[status.market] == status.pid { current[status.market] = status }
        health.record(current)
        return progressLine(now) + connectionSummary(now)
    }

    /// Every few minutes at notice: rows written per kind since the last line, and any rows lost.
    private mutating func progressLine(_ now: UTCTimestamp) -> [SupervisorAction] {
        guard let last = health.lastProgressAt,
            now.microseconds - last.microseconds >= policy.progressIntervalMicroseconds
        else { return [] }
        let rows = health.rowsSinceProgress
        health.rowsSinceProgress = CollectorStatus.RowCounts()
        health.lastProgressAt = now
        let period = TimeSpan(microseconds: now.microseconds - last.microseconds).compactText
        let message = "rows written in the last \(period): \(rows.orderbook) book, \(rows.trades) trade, "
            + "\(rows.events) event" + (rows.klines > 0 ? ", \(rows.klines) candle" : "") + "; " + statusLine
        var metadata = [
            "rows.orderbook": "\(rows.orderbook)", "rows.trades": "\(rows.trades)", "rows.events": "\(rows.events)",
        ]
        if rows.klines > 0 { metadata["rows.klines"] = "\(rows.klines)" }
        if health.rowsLost > 0 { metadata["rows_lost"] = "\(health.rowsLost)" }
        return [.log(.init(.notice, message, metadata))]
    }

    /// How many unconnected markets the summary names before it says "and N more".
    static let connectionSummaryNamedMarkets = 10

    /// At warning while any market is not connected past its grace (repeated every interval), then
    /// once at notice when all are connected again.
    private mutating func connectionSummary(_ now: UTCTimestamp) -> [SupervisorAction] {
        let (total, unconnected, isOverdue) = connectionTrouble(now)
        if isOverdue {
            if let last = health.lastConnectionSummaryAt,
                now.microseconds - last.microseconds < policy.connectionSummaryIntervalMicroseconds
            {
                return []
            }
            health.lastConnectionSummaryAt = now
            // A blip on a 672-pair run must not print 672 reasons in one line: name the first few.
            let named = unconnected.prefix(Self.connectionSummaryNamedMarkets)
            var reasons = named.map { "\($0.market): \($0.reason)" }.joined(separator: "; ")
            if unconnected.count > named.count { reasons += "; and \(unconnected.count - named.count) more" }
            var metadata: [String: String] = [:]
            if unconnected.count <= Self.connectionSummaryNamedMarkets {
                metadata["markets"] = unconnected.map(\.market).joined(separator: ",")
            }
            return [.log(.init(
                .warning, "\(total - unconnected.count) of \(total) markets connected; \(reasons)", metadata))]
        }
        guard health.lastConnectionSummaryAt != nil, unconnected.isEmpty else { return [] }
        health.lastConnectionSummaryAt = nil
        return [.log(.init(.notice, "all \(total) markets connected"))]
    }

    /// The configured markets (not those stopping), the ones without a connection with why, and
    /// whether any has been so for longer than a first connection takes.
    func connectionTrouble(_ now: UTCTimestamp)
        -> (total: Int, unconnected: [(market: String, reason: String)], isOverdue: Bool)
    {
        var total = 0
        var unconnected: [(market: String, reason: String)] = []
        var isOverdue = false
        for name in order {
            guard let collector = collectors[name], collector.stopReason == nil else { continue }
            for pair in collector.launch.pairs {
                total += 1
                guard let pid = collector.pid, let startedAt = collector.startedAt else {
                    if !collector.isSpawning {
                        isOverdue = true
                        let reason = collector.heldReason.map { "held: \($0)" }
                            ?? "restarting after \(collector.lastExit ?? "an exit")"
                        unconnected.append((pair.name, reason))
                    }
                    continue
                }
                let isPastGrace = now.microseconds - startedAt.microseconds >= policy.connectGraceMicroseconds
                guard let status = health.statuses[pair.name], status.pid == pid else {
                    if isPastGrace {
                        isOverdue = true
                        unconnected.append((pair.name, "no status yet"))
                    }
                    continue
                }
                guard Self.unconnectedStates.contains(status.state) else { continue }
                let attempts = status.failedConnectionAttempts
                var reason = status.lastConnectionError ?? status.state
                if attempts > 0 { reason += " (\(attempts) failed attempt\(attempts == 1 ? "" : "s"))" }
                unconnected.append((pair.name, reason))
                if isPastGrace || attempts >= 3 { isOverdue = true }
            }
        }
        return (total, unconnected, isOverdue)
    }
}
