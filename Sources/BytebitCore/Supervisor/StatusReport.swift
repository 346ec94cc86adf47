/// The text `bytebit status` prints: the supervisor's state joined with each collector's status.
public struct StatusReport: Sendable {
    /// A supervisor whose state is older than this is considered gone, in microseconds.
    public static let staleAfterMicroseconds: Int64 = 15_000_000

    /// The column titles, in order.
    public static let columns = [
        "MARKET", "STATE", "PID", "UPTIME", "RESTARTS", "LAST MSG", "BOOK ROWS", "TRADE ROWS", "EVENT ROWS",
        "CHECKSUM FAILS", "RECONNECTS", "ROWS LOST",
    ]

    /// Whether a supervisor with this state is still running at `now`, given whether its pid is alive.
    public static func isRunning(_ state: SupervisorState, pidIsAlive: Bool, now: UTCTimestamp) -> Bool {
        pidIsAlive && now.microseconds - state.updatedAt.microseconds <= staleAfterMicroseconds
    }

    /// What to print when no supervisor is running: `stateFile` missing, or left by a stopped one.
    public static func notRunningMessage(stateFile: String, lastState: SupervisorState?, now: UTCTimestamp) -> String {
        guard let lastState else {
            return "bytebit run is not running (no state file at \(stateFile)); start it with `bytebit run` "
                + "or `systemctl start bytebit`"
        }
        let age = duration(now.microseconds - lastState.updatedAt.microseconds)
        return "bytebit run is not running: the state in \(stateFile) was last updated \(age) ago by pid "
            + "\(lastState.pid), which is gone"
    }

    /// The report for a running supervisor. `collectors` maps pair names to their latest status.
    /// `connectionAttempts`: attempts in the ledger's window and its limit, when the ledger was readable.
    /// `only`: the markets whose rows and notes are shown (nil: all); the header is the whole run's.
    public static func render(
        state: SupervisorState, collectors: [String: CollectorStatus], now: UTCTimestamp,
        connectionAttempts: (recent: Int, limit: Int)? = nil, only: Set<String>? = nil
    ) -> String {
        // Markets sharing connections add a column naming each one's collector (group), and a count.
        let isGrouped = state.markets.contains { $0.collector != nil }
        // The ticker and ohlc counts appear once a market records them (SPEC §10).
        let showsChannels = collectors.values.contains { $0.rowsToday.ticker != nil || $0.rowsToday.ohlc != nil }
        var rows = [(isGrouped ? Self.groupedColumns : columns) + (showsChannels ? ["TICKER ROWS", "OHLC ROWS"] : [])]
        var notes: [String] = []
        for market in state.markets where only?.contains(market.market) ?? true {
            let status = currentStatus(of: market, in: collectors)
            let stateText: String
            switch market.phase {
            // A collector that cannot write is not `live`, whatever its feed says.
            case .running: stateText = status.map { $0.isLosingRows ? "losing rows" : $0.state } ?? "starting"
            case .waiting:
                let wait = market.nextStartAt.map { duration(max(0, $0.microseconds - now.microseconds)) } ?? "?"
                stateText = "restart in \(wait)"
            case .held: stateText = "held (config error)"
            case .stopping: stateText = "stopping"
            }
            let uptime = market.phase == .running
                ? market.startedAt.map { duration(now.microseconds - $0.microseconds) } ?? "-" : "-"
            let lastMessage = status.map { status in
                status.lastMessageAt.map { duration(now.microseconds - $0.microseconds) } ?? "none"
            } ?? "-"
            let carrier = isGrouped ? [market.collector ?? market.market] : []
            rows.append([market.market, stateText, market.pid.map(String.init) ?? "-"] + carrier + [
                uptime, String(market.restarts),
                lastMessage, status.map { String($0.rowsToday.orderbook) } ?? "-",
                status.map { String($0.rowsToday.trades) } ?? "-", status.map { String($0.rowsToday.events) } ?? "-",
                status.map { String($0.checksumFailures) } ?? "-", status.map { String($0.reconnects) } ?? "-",
                status.map { String($0.rowsLost) } ?? "-",
            ] + (showsChannels ? [
                status.flatMap { $0.rowsToday.ticker.map(String.init) } ?? "-",
                status.flatMap { $0.rowsToday.ohlc.map(String.init) } ?? "-",
            ] : []))
            notes += Self.notes(on: market, status: status, now: now)
        }
        // A group's collector runs for the others while one of its pairs is not listed: say so here too.
        let unlisted = state.markets.filter {
            $0.phase == .running && currentStatus(of: $0, in: collectors)?.state == FeedStatus.notListed
        }.count
        let summary = state.summary + (unlisted > 0 ? ", \(unlisted) not listed by Kraken" : "")
        let header = "bytebit run: pid \(state.pid), up \(duration(now.microseconds - state.startedAt.microseconds)), "
            + "config \(state.configPath)\n\(summary)\n" + (isGrouped ? Self.collectorLine(state) : "")
        let budget = connectionAttempts.map {
            "connection attempts in the last 10 minutes: \($0.recent) of \($0.limit) allowed\n"
        } ?? ""
        return header + budget + table(rows) + notes.map { "\($0)\n" }.joined()
            + outputLines(state: state, collectors: collectors)
    }

    /// `market`'s status when its current process wrote it: one written by an earlier process of the
    /// market says nothing about the current one.
    static func currentStatus(of market: SupervisorState.Market, in collectors: [String: CollectorStatus]) -> CollectorStatus? {
        collectors[market.market].flatMap { $0.pid == market.pid ? $0 : nil }
    }

    /// The status files that hold the markets of `state`, each with the markets it holds: a
    /// collector carrying several markets writes one file for them all, a market alone its own.
    public static func statusFiles(of state: SupervisorState, in runDirectory: RunDirectory) -> [(String, [String])] {
        var order: [String] = []
        var markets: [String: [String]] = [:]
        for market in state.markets {
            let collector = market.collector ?? market.market
            if markets[collector] == nil { order.append(collector) }
            markets[collector, default: []].append(market.market)
        }
        return order.map { name in
            let pairs = markets[name] ?? []
            return (runDirectory.statusFile(collector: name, pairs: pairs), pairs)
        }
    }

    /// The columns of a run whose markets share connections: the collector after the pid.
    static var groupedColumns: [String] {
        var titles = columns
        titles.insert("COLLECTOR", at: 3)
        return titles
    }

    /// `5 markets on 3 collectors (one connection each)`.
    static func collectorLine(_ state: SupervisorState) -> String {
        let collectors = Set(state.markets.map { $0.collector ?? $0.market }).count
        return "\(state.markets.count) markets on \(collectors) collector\(collectors == 1 ? "" : "s") "
            + "(one connection each)\n"
    }

    /// What the table cannot hold about one market: why it is held, its last write error, why it
    /// is not connected.
    static func notes(on market: SupervisorState.Market, status: CollectorStatus?, now: UTCTimestamp) -> [String] {
        var notes: [String] = []
        if market.phase == .held {
            notes.append("\(market.market) held: \(market.heldReason ?? market.lastExit ?? "configuration error")")
        }
        // In a group the pair's collector records the others, so it runs: the note says why this one does not.
        if status?.state == FeedStatus.notListed {
            notes.append("\(market.market) not recorded: Kraken does not list it (held until it does)")
        }
        if let status, let error = status.lastWriteError {
            let age = status.lastWriteErrorAt.map { " \(duration(now.microseconds - $0.microseconds)) ago" } ?? ""
            let verb = status.isLosingRows ? "cannot write" : "last write error"
            notes.append("\(market.market) \(verb)\(age): \(error) (\(status.rowsLost) rows lost)")
        }
        if let status, status.state != "stopped",
            status.failedConnectionAttempts > 0 || SupervisorMachine.unconnectedStates.contains(status.state)
        {
            let attempts = status.failedConnectionAttempts
            notes.append("\(market.market) not connected: \(status.lastConnectionError ?? status.state)"
                + (attempts > 0 ? " (\(attempts) failed attempt\(attempts == 1 ? "" : "s"))" : ""))
        }
        return notes
    }

    /// Left-aligned columns separated by two spaces.
    static func table(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// Ages and uptimes in the table: the compact form of the one duration type.
    private static func duration(_ microseconds: Int64) -> String { TimeSpan(microseconds: microseconds).compactText }
}
