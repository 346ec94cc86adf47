import Testing
@testable import BytebitCore

/// `bytebit status` makes trouble loud: rows lost, write errors, held reasons, connection errors.
@Suite struct SupervisorStatusLossTests {
    private let now = UTCTimestamp(microsecondsSince1970: 1_800_000_000_000_000)

    private func ago(_ microseconds: Int64) -> UTCTimestamp {
        UTCTimestamp(microsecondsSince1970: now.microseconds - microseconds)
    }

    private func state(_ markets: [SupervisorState.Market]) -> SupervisorState {
        SupervisorState(pid: 100, startedAt: ago(60_000_000), updatedAt: ago(500_000), configPath: "/c.yaml",
                        markets: markets)
    }

    private func live(_ market: String, pid: Int32) -> CollectorStatus {
        CollectorStatus(market: market, pid: pid, state: "live", startedAt: ago(50_000_000), updatedAt: ago(200_000))
    }

    /// The table's row of `market` split into cells, and the lines after the table.
    private func render(_ state: SupervisorState, _ collectors: [String: CollectorStatus])
        -> (rows: [String: [String]], notes: [String])
    {
        let lines = StatusReport.render(state: state, collectors: collectors, now: now)
            .split(separator: "\n").map(String.init)
        let table = lines.dropFirst(3).prefix(state.markets.count)
        var rows: [String: [String]] = [:]
        for line in table {
            let cells = line.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }
            rows[cells[0]] = cells
        }
        return (rows, Array(lines.dropFirst(3 + state.markets.count)))
    }

    @Test func aCollectorLosingRowsIsNotLiveAndShowsItsLossAndError() throws {
        var losing = live("BTC-USD", pid: 101)
        losing.isLosingRows = true
        losing.rowsLost = 340
        losing.lastWriteError = "cannot create /srv/data/BTC-USD: Permission denied"
        losing.lastWriteErrorAt = ago(2_000_000)
        let shown = render(state([.init(market: "BTC-USD", phase: .running, pid: 101, startedAt: ago(50_000_000))]),
                           ["BTC-USD": losing])
        let row = try #require(shown.rows["BTC-USD"])
        #expect(row[1] == "losing rows")
        #expect(row.last == "340")
        #expect(shown.notes == [
            "BTC-USD cannot write 2.0s ago: cannot create /srv/data/BTC-USD: Permission denied (340 rows lost)"
        ])
    }

    @Test func aRecoveredCollectorIsLiveAgainAndStillShowsWhatItLost() throws {
        var recovered = live("BTC-USD", pid: 101)
        recovered.rowsLost = 12
        recovered.lastWriteError = "No space left on device"
        let shown = render(state([.init(market: "BTC-USD", phase: .running, pid: 101, startedAt: ago(50_000_000))]),
                           ["BTC-USD": recovered])
        #expect(shown.rows["BTC-USD"]?[1] == "live")
        #expect(shown.notes == ["BTC-USD last write error: No space left on device (12 rows lost)"])
    }

    @Test func aHeldMarketShowsWhyItIsHeld() {
        let shown = render(
            state([.init(market: "ADA-EUR", phase: .held, lastExit: "exited with configuration error (78)",
                         heldReason: "exited with configuration error (78): ADA/EUR is not listed by Kraken")]),
            [:])
        #expect(shown.rows["ADA-EUR"]?[1] == "held (config error)")
        #expect(shown.notes == ["ADA-EUR held: exited with configuration error (78): ADA/EUR is not listed by Kraken"])
    }

    /// A group's pair that Kraken does not list is held on the shared connection: its collector
    /// runs for the others, so only the note says this pair records nothing.
    @Test func aGroupsUnlistedPairShowsWhyItRecordsNothing() {
        var unlisted = live("FOO-USD", pid: 103)
        unlisted.state = "not_listed"
        let shown = render(state([.init(market: "FOO-USD", phase: .running, pid: 103, startedAt: ago(5_000_000))]),
                           ["FOO-USD": unlisted])
        #expect(shown.rows["FOO-USD"]?[1] == "not_listed")
        #expect(shown.notes == ["FOO-USD not recorded: Kraken does not list it (held until it does)"])
        let summary = StatusReport.render(
            state: state([.init(market: "FOO-USD", phase: .running, pid: 103, startedAt: ago(5_000_000))]),
            collectors: ["FOO-USD": unlisted], now: now).split(separator: "\n")[1]
        #expect(summary == "1/1 markets running, 0 restarts, 1 not listed by Kraken")
    }

    @Test func anUnconnectedCollectorShowsWhyAndHowManyAttemptsFailed() {
        var failing = live("ETH-USD", pid: 102)
        failing.state = "backing_off"
        failing.failedConnectionAttempts = 5
        failing.lastConnectionError = "connection refused"
        let shown = render(state([.init(market: "ETH-USD", phase: .running, pid: 102, startedAt: ago(50_000_000))]),
                           ["ETH-USD": failing])
        #expect(shown.rows["ETH-USD"]?[1] == "backing_off")
        #expect(shown.notes == ["ETH-USD not connected: connection refused (5 failed attempts)"])
    }

    @Test func aHealthyCollectorHasNoNotes() {
        let shown = render(state([.init(market: "BTC-USD", phase: .running, pid: 101, startedAt: ago(50_000_000))]),
                           ["BTC-USD": live("BTC-USD", pid: 101)])
        #expect(shown.notes.isEmpty)
        #expect(shown.rows["BTC-USD"]?[1] == "live")
    }

    @Test func theHeldReasonIsKeptInTheStateFile() throws {
        let market = SupervisorState.Market(market: "ADA-EUR", phase: .held, heldReason: "why")
        let written = state([market])
        let path = "/tmp/bytebit-held-reason-\(written.pid)-\(now.microseconds).json"
        try written.write(to: path)
        #expect(try SupervisorState.read(from: path).markets.first?.heldReason == "why")
    }
}
