import Foundation
import Testing
@testable import BytebitCore

/// The run-wide summaries: rows written and lost (progress line, `STATUS=`) and connection trouble.
@Suite struct SupervisorMachineHealthTests {
    private typealias Config = SupervisorTestConfig

    private func policy() -> SupervisorPolicy {
        var policy = SupervisorPolicy()
        policy.progressIntervalMicroseconds = 300_000_000
        policy.connectGraceMicroseconds = 5_000_000
        policy.connectionSummaryIntervalMicroseconds = 60_000_000
        return policy
    }

    private func status(
        _ driver: SupervisorMachineDriver, _ market: String, state: String = "live", book: Int = 0, trades: Int = 0,
        events: Int = 0, lost: Int = 0, losing: Bool = false, failedAttempts: Int = 0, connectionError: String? = nil,
        pid: Int32? = nil
    ) throws -> CollectorStatus {
        var status = CollectorStatus(
            market: market, pid: try pid ?? #require(driver.pid(market)), state: state, startedAt: driver.now,
            updatedAt: driver.now, rowsToday: .init(orderbook: book, trades: trades, events: events))
        status.rowsLost = lost
        status.isLosingRows = losing
        status.failedConnectionAttempts = failedAttempts
        status.lastConnectionError = connectionError
        return status
    }

    @Test func theProgressLineCountsRowsWrittenPerKindSinceTheLastOne() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD", "ETH-USD"), policy: policy())
        driver.send(.start)
        driver.advance(100_000_000)
        let early = driver.send(.statusesRead([
            try status(driver, "BTC-USD", book: 100, trades: 10, events: 2),
            try status(driver, "ETH-USD", book: 50),
        ]))
        #expect(early.logLines.isEmpty, "not before the interval")
        driver.advance(200_000_000)
        let line = try #require(driver.send(.statusesRead([
            try status(driver, "BTC-USD", book: 300, trades: 15, events: 2),
            try status(driver, "ETH-USD", book: 80),
        ])).logLines.first)
        #expect(line.level == .notice)
        #expect(line.message == "rows written in the last 5m00s: 380 book, 15 trade, 2 event; 2/2 markets running, 0 restarts")
        // The next line counts only what came after; a restarted collector counts from zero.
        try driver.exit("ETH-USD", .exited(1))
        driver.advance(2_000_000)
        driver.advance(298_000_000)
        let next = try #require(driver.send(.statusesRead([
            try status(driver, "BTC-USD", book: 310, trades: 15, events: 2),
            try status(driver, "ETH-USD", book: 7),
        ])).logLines.first)
        #expect(next.message.hasPrefix("rows written in the last 5m00s: 17 book, 0 trade, 0 event; 2/2 markets running, 1 restart"))
    }

    @Test func aNewDayCountsFromZero() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD"), policy: policy())
        driver.send(.start)
        driver.send(.statusesRead([try status(driver, "BTC-USD", book: 900)]))
        driver.advance(300_000_000)
        let line = try #require(driver.send(.statusesRead([try status(driver, "BTC-USD", book: 40)])).logLines.first)
        #expect(line.message.hasPrefix("rows written in the last 5m00s: 940 book"))
    }

    @Test func rowsLostShowInStatusAndTheProgressLineAndOutliveTheCollector() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD", "ETH-USD"), policy: policy())
        driver.send(.start)
        let losing = driver.send(.statusesRead([
            try status(driver, "BTC-USD", book: 10, lost: 120, losing: true), try status(driver, "ETH-USD"),
        ]))
        #expect(losing.notifications
            == ["STATUS=2/2 markets running, 0 restarts, 120 rows lost (losing rows now: BTC-USD)"])
        // It ends; a new collector starts from zero, and the run still counts what the first one lost.
        try driver.exit("BTC-USD", .exited(1))
        driver.advance(5_000_000)
        driver.send(.statusesRead([try status(driver, "BTC-USD", lost: 3), try status(driver, "ETH-USD")]))
        #expect(driver.machine.statusLine == "2/2 markets running, 1 restart, 123 rows lost")
        driver.advance(300_000_000)
        let line = try #require(driver.send(.statusesRead([
            try status(driver, "BTC-USD", lost: 3), try status(driver, "ETH-USD"),
        ])).logLines.first)
        #expect(line.message.hasSuffix("; 2/2 markets running, 1 restart, 123 rows lost"))
        #expect(line.metadata["rows_lost"] == "123")
    }

    @Test func aStatusLeftByAnEarlierProcessIsIgnored() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD"), policy: policy())
        driver.send(.start)
        driver.send(.statusesRead([try status(driver, "BTC-USD", lost: 9, losing: true, pid: 1)]))
        #expect(driver.machine.statusLine == "1/1 markets running, 0 restarts")
    }

    @Test func unconnectedMarketsGetARunWideWarningNamingThemAndWhy() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD", "ETH-USD", "SOL-USD"), policy: policy())
        driver.send(.start)
        let unreachable = "cannot resolve ws.kraken.example"
        func statuses() throws -> [CollectorStatus] {
            [
                try status(driver, "BTC-USD"),
                try status(driver, "ETH-USD", state: "backing_off", failedAttempts: 2, connectionError: unreachable),
                try status(driver, "SOL-USD", state: "connecting"),
            ]
        }
        driver.advance(1_000_000)
        #expect(driver.send(.statusesRead(try statuses())).logLines.isEmpty, "a first connection takes a moment")
        driver.advance(4_000_000)
        let warning = try #require(driver.send(.statusesRead(try statuses())).logLines.first)
        #expect(warning.level == .warning)
        #expect(warning.message
            == "1 of 3 markets connected; ETH-USD: \(unreachable) (2 failed attempts); SOL-USD: connecting")
        #expect(warning.metadata["markets"] == "ETH-USD,SOL-USD")
        // Repeated only once a minute while it lasts.
        driver.advance(59_000_000)
        #expect(driver.send(.statusesRead(try statuses())).logLines.isEmpty)
        driver.advance(1_000_000)
        #expect(driver.send(.statusesRead(try statuses())).logLines.map(\.level) == [.warning])
        // All connected again: said once.
        let recovered = [
            try status(driver, "BTC-USD"), try status(driver, "ETH-USD"), try status(driver, "SOL-USD", state: "resyncing"),
        ]
        #expect(driver.send(.statusesRead(recovered)).logLines.map(\.message) == ["all 3 markets connected"])
        #expect(driver.send(.statusesRead(recovered)).logLines.isEmpty)
    }

    @Test func failedAttemptsAreTroubleBeforeTheGraceAndWaitingOrHeldMarketsAreNamed() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD", "ETH-USD", "SOL-USD"), policy: policy())
        driver.send(.start)
        try driver.exit("ETH-USD", .exited(78), lastError: "pair not listed")
        try driver.exit("SOL-USD", .exited(1))
        let line = try #require(driver.send(.statusesRead([
            try status(driver, "BTC-USD", state: "reconnecting", failedAttempts: 3, connectionError: "connection refused"),
        ])).logLines.first)
        #expect(line.message == "0 of 3 markets connected; BTC-USD: connection refused (3 failed attempts); "
            + "ETH-USD: held: \(ChildExit.exited(78)): pair not listed; "
            + "SOL-USD: restarting after \(ChildExit.exited(1))")
    }

    /// A blip on a run of hundreds of pairs: the warning names the first ten and counts the rest.
    @Test func aLongListOfUnconnectedMarketsIsCutAfterTen() throws {
        let pairs = (0..<15).map { "P\($0)-USD" }
        var driver = SupervisorMachineDriver(Config.config(try pairs.map { try Config.market($0) }), policy: policy())
        driver.send(.start)
        driver.advance(6_000_000)
        let statuses = try pairs.map { try status(driver, $0, state: "reconnecting") }
        let line = try #require(driver.send(.statusesRead(statuses)).logLines.first)
        #expect(line.message.hasPrefix("0 of 15 markets connected; P0-USD: reconnecting; "))
        #expect(line.message.hasSuffix("P9-USD: reconnecting; and 5 more"))
        #expect(line.metadata["markets"] == nil)
    }
}
