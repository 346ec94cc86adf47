import Testing
@testable import BytebitCore

@Suite struct SupervisorStatusReportTests {
    private let now = UTCTimestamp(microsecondsSince1970: 1_800_000_000_000_000)

    private func ago(_ microseconds: Int64) -> UTCTimestamp {
        UTCTimestamp(microsecondsSince1970: now.microseconds - microseconds)
    }

    private func state(updated: Int64 = 500_000) -> SupervisorState {
        SupervisorState(
            pid: 100, startedAt: ago(7_380_000_000), updatedAt: ago(updated), configPath: "/etc/bytebit/config.yaml",
            markets: [
                .init(market: "BTC-USD", phase: .running, pid: 101, startedAt: ago(3_725_000_000), restarts: 2),
                .init(market: "ETH-USD", phase: .running, pid: 102, startedAt: ago(1_000_000), restarts: 0),
                .init(market: "SOL-USD", phase: .waiting, restarts: 5, nextStartAt: ago(-4_000_000)),
                .init(market: "ADA-EUR", phase: .held, restarts: 0),
            ])
    }

    @Test func joinsTheSupervisorStateWithEachCollectorsStatus() {
        let collectors = [
            "BTC-USD": CollectorStatus(
                market: "BTC-USD", pid: 101, state: "live", startedAt: ago(3_725_000_000), updatedAt: ago(300_000),
                lastMessageAt: ago(1_200_000), rowsToday: .init(orderbook: 1234, trades: 56, events: 7),
                checksumFailures: 1, reconnects: 3),
            // Left by an earlier ETH-USD process: must not be shown as the current one's.
            "ETH-USD": CollectorStatus(
                market: "ETH-USD", pid: 99, state: "live", startedAt: ago(90_000_000), updatedAt: ago(5_000_000),
                rowsToday: .init(orderbook: 999, trades: 0, events: 0)),
        ]
        let text = StatusReport.render(
            state: state(), collectors: collectors, now: now, connectionAttempts: (recent: 7, limit: 120))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "bytebit run: pid 100, up 2h03m, config /etc/bytebit/config.yaml")
        #expect(lines[1] == "2/4 markets running, 7 restarts, 1 waiting to restart, 1 held by a configuration error")
        #expect(lines[2] == "connection attempts in the last 10 minutes: 7 of 120 allowed")
        #expect(lines[3].split(separator: " ", omittingEmptySubsequences: true).first == "MARKET")
        let cells = lines.dropFirst(4).map { $0.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(cells[0] == ["BTC-USD", "live", "101", "1h02m", "2", "1.2s", "1234", "56", "7", "1", "3", "0"])
        #expect(cells[1] == ["ETH-USD", "starting", "102", "1.0s", "0", "-", "-", "-", "-", "-", "-", "-"])
        #expect(cells[2] == ["SOL-USD", "restart in 4.0s", "-", "-", "5", "-", "-", "-", "-", "-", "-", "-"])
        #expect(cells[3] == ["ADA-EUR", "held (config error)", "-", "-", "0", "-", "-", "-", "-", "-", "-", "-"])
    }

    /// SPEC §10: a market recording the ticker or Kraken's candles shows their counts; others show `-`.
    /// `bytebit status BTC-USD ADA-EUR`: their rows and notes only, the summary still the whole run's.
    @Test func onlyTheAskedMarketsRowsAndNotesAreShown() {
        let text = StatusReport.render(state: state(), collectors: [:], now: now, only: ["BTC-USD", "ADA-EUR"])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[1] == "2/4 markets running, 7 restarts, 1 waiting to restart, 1 held by a configuration error")
        #expect(lines.dropFirst(3).map { $0.split(separator: " ").first.map(String.init) ?? "" } == ["BTC-USD", "ADA-EUR", "ADA-EUR"])
        #expect(lines.last?.hasPrefix("ADA-EUR held:") == true, "\(lines)")
    }

    @Test func tickerAndOHLCCountsAppearOnceAMarketRecordsThem() {
        var rows = CollectorStatus.RowCounts(orderbook: 10, trades: 2, events: 3)
        rows.ticker = 40
        rows.ohlc = 5
        let collectors = [
            "BTC-USD": CollectorStatus(
                market: "BTC-USD", pid: 101, state: "live", startedAt: ago(3_725_000_000), updatedAt: ago(300_000),
                lastMessageAt: ago(1_200_000), rowsToday: rows, checksumFailures: 0, reconnects: 0),
            "ETH-USD": CollectorStatus(
                market: "ETH-USD", pid: 102, state: "live", startedAt: ago(1_000_000), updatedAt: ago(300_000),
                rowsToday: .init(orderbook: 9, trades: 1, events: 2)),
        ]
        let lines = StatusReport.render(state: state(), collectors: collectors, now: now)
            .split(separator: "\n").map(String.init)
        let header = lines.first { $0.hasPrefix("MARKET") } ?? ""
        #expect(header.hasSuffix("ROWS LOST  TICKER ROWS  OHLC ROWS"))
        let cells = lines.filter { $0.hasPrefix("BTC-USD") || $0.hasPrefix("ETH-USD") }
            .map { $0.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(cells.first?.suffix(2) == ["40", "5"])
        #expect(cells.last?.suffix(2) == ["-", "-"])
        let without = StatusReport.render(
            state: state(), collectors: collectors.filter { $0.key == "ETH-USD" }, now: now)
        #expect(!without.contains("TICKER ROWS"))
    }

    @Test func aStaleOrDeadSupervisorIsNotRunning() {
        #expect(StatusReport.isRunning(state(), pidIsAlive: true, now: now))
        #expect(!StatusReport.isRunning(state(), pidIsAlive: false, now: now))
        #expect(!StatusReport.isRunning(state(updated: 16_000_000), pidIsAlive: true, now: now))
    }

    @Test func explainsWhyNothingIsRunning() {
        let missing = StatusReport.notRunningMessage(stateFile: "/x/run/state.json", lastState: nil, now: now)
        #expect(missing.hasPrefix("bytebit run is not running (no state file at /x/run/state.json)"))
        let left = StatusReport.notRunningMessage(
            stateFile: "/x/run/state.json", lastState: state(updated: 120_000_000), now: now)
        #expect(left == "bytebit run is not running: the state in /x/run/state.json was last updated 2m00s ago by pid 100, which is gone")
    }

    @Test(arguments: [
        (Int64(0), "0.0s"), (400_000, "0.4s"), (9_950_000, "9.9s"), (42_000_000, "42s"), (723_000_000, "12m03s"),
        (7_380_000_000, "2h03m"), (273_600_000_000, "3d04h"), (-5, "0.0s"),
    ])
    func durationsAreCompact(microseconds: Int64, text: String) {
        #expect(TimeSpan(microseconds: microseconds).compactText == text)
    }
}

@Suite struct SupervisorStatusGroupedReportTests {
    private let now = UTCTimestamp(microsecondsSince1970: 1_800_000_000_000_000)

    @Test func aGroupedRunNamesEachMarketsCollectorAndCountsCollectors() {
        let started = UTCTimestamp(microsecondsSince1970: now.microseconds - 60_000_000)
        let state = SupervisorState(
            pid: 100, startedAt: started, updatedAt: now, configPath: "/etc/bytebit/config.yaml",
            markets: [
                .init(market: "BTC-USD", phase: .running, pid: 201, startedAt: started, restarts: 1,
                      collector: "group-1"),
                .init(market: "ETH-USD", phase: .running, pid: 201, startedAt: started, restarts: 1,
                      collector: "group-1"),
                .init(market: "SOL-USD", phase: .running, pid: 202, startedAt: started, restarts: 0),
            ])
        let lines = StatusReport.render(state: state, collectors: [:], now: now).split(separator: "\n").map(String.init)
        #expect(lines[1] == "3/3 markets running, 1 restart", "a group's restart is counted once")
        #expect(lines[2] == "3 markets on 2 collectors (one connection each)")
        let cells = lines.dropFirst(3).map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(cells[0].prefix(4) == ["MARKET", "STATE", "PID", "COLLECTOR"])
        #expect(cells[1].prefix(4) == ["BTC-USD", "starting", "201", "group-1"])
        #expect(cells[2].prefix(4) == ["ETH-USD", "starting", "201", "group-1"])
        #expect(cells[3].prefix(4) == ["SOL-USD", "starting", "202", "SOL-USD"])
    }
}
