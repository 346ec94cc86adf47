import Foundation
import Testing
@testable import BytebitCore

/// SIGHUP through the machine: new markets start, removed stop, changed restart, untouched keep running.
@Suite struct SupervisorMachineReloadTests {
    private typealias Config = SupervisorTestConfig

    @Test func aReloadStartsNewStopsRemovedRestartsChangedAndLeavesTheRestRunning() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD", "ETH-USD", "SOL-USD"))
        driver.send(.start)
        let btc = try #require(driver.pid("BTC-USD"))
        let eth = try #require(driver.pid("ETH-USD"))
        let sol = try #require(driver.pid("SOL-USD"))
        let new = Config.config([
            try Config.market("BTC-USD"), try Config.market("ETH-USD", depth: 100), try Config.market("ADA-EUR"),
        ])
        let actions = driver.send(.reloadRequested(new))
        #expect(actions.spawned == ["ADA-EUR"])
        #expect(Set(actions.signals.map(\.pid)) == [eth, sol])
        #expect(actions.signals.allSatisfy { $0.signal == SIGTERM })
        #expect(!actions.signals.contains { $0.pid == btc })
        #expect(driver.state("ETH-USD")?.phase == .stopping)
        #expect(driver.machine.marketStates.map(\.market) == ["BTC-USD", "ETH-USD", "ADA-EUR", "SOL-USD"])

        // The changed one starts again with its new settings once it has exited.
        let restarted = try driver.exit("ETH-USD", .exited(0))
        #expect(restarted.compactMap { if case .spawn(let launch) = $0 { launch.markets.first?.depth } else { nil } } == [100])
        #expect(driver.state("ETH-USD")?.restarts == 0, "a planned restart is not counted")
        // The removed one leaves the table and its status file goes.
        let removed = try driver.exit("SOL-USD", .exited(0))
        #expect(removed.contains(.removeStatusFile(try driver.pairNamed("SOL-USD"))))
        #expect(removed.spawned.isEmpty)
        #expect(driver.machine.marketStates.map(\.market) == ["BTC-USD", "ETH-USD", "ADA-EUR"])
        #expect(driver.pid("BTC-USD") == btc)
    }

    @Test func aCollectorThatOutlivesTheGracePeriodIsKilled() throws {
        var policy = SupervisorPolicy()
        policy.gracePeriodMicroseconds = 10_000_000
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD", "ETH-USD"), policy: policy)
        driver.send(.start)
        let eth = try #require(driver.pid("ETH-USD"))
        driver.send(.reloadRequested(try Config.config("BTC-USD")))
        #expect(driver.advance(9_999_999).signals.isEmpty)
        let kill = driver.advance(1)
        #expect(kill.signals.map(\.pid) == [eth] && kill.signals.map(\.signal) == [SIGKILL])
        #expect(kill.logLines.map(\.message) == ["collector did not stop within the grace period: killing it"])
    }

    @Test func aCollectorThatStopsInTimeIsNotKilled() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD", "ETH-USD"))
        driver.send(.start)
        driver.send(.reloadRequested(try Config.config("BTC-USD")))
        driver.advance(1_000_000)
        try driver.exit("ETH-USD", .exited(0))
        #expect(driver.advance(60_000_000).signals.isEmpty)
    }

    @Test func aRejectedReloadIsLoggedAndChangesNothing() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD"))
        driver.send(.start)
        let actions = driver.send(.reloadRejected(reason: "config.yaml:3:5: markets[0]: no such pair"))
        #expect(actions.logLines.map(\.level) == [.error])
        #expect(actions.logLines.first?.metadata["error"] == "config.yaml:3:5: markets[0]: no such pair")
        #expect(actions.spawned.isEmpty && actions.signals.isEmpty)
        #expect(driver.machine.config == (try Config.config("BTC-USD")))
    }

    @Test func aWaitingMarketWhoseSettingsChangeStartsAtOnce() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD"))
        driver.send(.start)
        try driver.exit("BTC-USD", .exited(1))
        let changed = Config.config([try Config.market("BTC-USD", depth: 100)])
        #expect(driver.send(.reloadRequested(changed)).spawned == ["BTC-USD"])
    }

    @Test func aMarketRemovedWhileWaitingIsGoneAndItsTimerDoesNothing() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD", "ETH-USD"))
        driver.send(.start)
        try driver.exit("ETH-USD", .exited(1))
        let actions = driver.send(.reloadRequested(try Config.config("BTC-USD")))
        #expect(actions.contains(.removeStatusFile(try driver.pairNamed("ETH-USD"))))
        #expect(driver.advance(120_000_000).spawned.isEmpty)
        #expect(driver.machine.marketStates.map(\.market) == ["BTC-USD"])
    }

    @Test func aMarketRemovedAndAddedBackBeforeItStoppedStartsAgainWhenItExits() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD", "ETH-USD"))
        driver.send(.start)
        driver.send(.reloadRequested(try Config.config("BTC-USD")))
        driver.send(.reloadRequested(try Config.config("BTC-USD", "ETH-USD")))
        let actions = try driver.exit("ETH-USD", .exited(0))
        #expect(actions.spawned == ["ETH-USD"])
        #expect(!actions.contains(.removeStatusFile(try driver.pairNamed("ETH-USD"))))
    }

    @Test func aReloadWhileStoppingChangesNothing() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD"))
        driver.send(.start)
        driver.send(.stopRequested(signal: SIGTERM))
        let actions = driver.send(.reloadRequested(try Config.config("BTC-USD", "ETH-USD")))
        #expect(actions.spawned.isEmpty && actions.logLines.isEmpty)
    }

    @Test func aNewLogFolderIsWarnedAboutBecauseItOnlyMovesAtTheNextStart() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD"))
        driver.send(.start)
        var moved = try Config.config("BTC-USD")
        moved.logDirectory = "/elsewhere/logs"
        let warning = try #require(driver.send(.reloadRequested(moved)).logLines.first)
        #expect(warning.level == .warning && warning.metadata["log_dir"] == "/elsewhere/logs")
    }
}
