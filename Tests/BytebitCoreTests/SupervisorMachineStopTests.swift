import Foundation
import Testing
@testable import BytebitCore

/// Stopping and hangs through the machine: SIGTERM, a second signal, --duration, stale heartbeats.
@Suite struct SupervisorMachineStopTests {
    private typealias Config = SupervisorTestConfig

    @Test func aStopAsksEveryCollectorToFlushAndExitsZeroOnlyOnceAllHaveExited() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD", "ETH-USD"))
        driver.send(.start)
        let pids = [try #require(driver.pid("BTC-USD")), try #require(driver.pid("ETH-USD"))]
        let actions = driver.send(.stopRequested(signal: SIGTERM))
        #expect(actions.notifications.first == "STOPPING=1")
        #expect(actions.signals.map(\.pid) == pids && actions.signals.allSatisfy { $0.signal == SIGTERM })
        #expect(actions.exitCode == nil)
        #expect(try driver.exit("BTC-USD", .exited(0)).exitCode == nil)
        let last = try driver.exit("ETH-USD", .exited(0))
        #expect(last.exitCode == 0)
        #expect(last.spawned.isEmpty)
        #expect(driver.send(.tick(heartbeats: [:])).isEmpty, "nothing after the exit")
    }

    @Test func aStopWhileAMarketWaitsDoesNotStartIt() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD", "ETH-USD"))
        driver.send(.start)
        try driver.exit("ETH-USD", .exited(1))
        driver.send(.stopRequested(signal: SIGINT))
        #expect(driver.advance(120_000_000).spawned.isEmpty)
        #expect(try driver.exit("BTC-USD", .exited(0)).exitCode == 0)
    }

    @Test func aSecondSignalKillsEveryCollectorAndExitsOne() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD", "ETH-USD"))
        driver.send(.start)
        driver.send(.stopRequested(signal: SIGTERM))
        let actions = driver.send(.stopRequested(signal: SIGTERM))
        #expect(actions.signals.count == 2 && actions.signals.allSatisfy { $0.signal == SIGKILL })
        #expect(actions.exitCode == 1)
    }

    @Test func theDurationEndsTheRunCleanly() throws {
        var policy = SupervisorPolicy()
        policy.durationMicroseconds = 90_000_000
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD"), policy: policy)
        driver.send(.start)
        #expect(driver.advance(89_999_999).signals.isEmpty)
        let actions = driver.advance(1)
        #expect(actions.logLines.map(\.message) == ["duration reached"])
        #expect(actions.signals.map(\.signal) == [SIGTERM])
        #expect(try driver.exit("BTC-USD", .exited(0)).exitCode == 0)
    }

    @Test func aCollectorWhoseHeartbeatIsStaleIsKilledAndRestartedWithBackoff() throws {
        var policy = SupervisorPolicy()
        policy.heartbeat = Heartbeat(timeoutMicroseconds: 30_000_000)
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD", "ETH-USD"), policy: policy)
        driver.send(.start)
        let btc = "BTC-USD"
        let eth = "ETH-USD"
        let btcPID = try #require(driver.pid("BTC-USD"))
        driver.advance(20_000_000)
        let lastBeat = driver.now
        driver.advance(30_000_000)
        // BTC-USD wrote its status 30 s ago (not yet over the timeout); ETH-USD never did, 50 s after its start.
        let first = driver.send(.tick(heartbeats: [btc: lastBeat]))
        #expect(first.signals.map(\.signal) == [SIGKILL])
        #expect(first.signals.map(\.pid) == [try #require(driver.machine.collectors[eth]?.pid)])
        #expect(first.logLines.first?.message.hasPrefix("collector hung") == true)
        driver.advance(1)
        let second = driver.send(.tick(heartbeats: [btc: lastBeat]))
        #expect(second.signals.map(\.pid) == [btcPID], "over the timeout by 1 µs; ETH-USD not killed twice")
        let restart = try driver.exit("ETH-USD", .signalled(SIGKILL))
        #expect(restart.restartDelays(from: driver.now).count == 1)
        #expect(driver.state("ETH-USD")?.restarts == 1)
    }

    @Test func aStoppingCollectorIsNotCalledHung() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD"))
        driver.send(.start)
        driver.send(.stopRequested(signal: SIGTERM))
        driver.now = UTCTimestamp(microsecondsSince1970: driver.now.microseconds + 9_000_000_000)
        #expect(driver.send(.tick(heartbeats: [:])).signals.isEmpty)
    }
}
