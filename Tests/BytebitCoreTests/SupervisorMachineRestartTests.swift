import Foundation
import Testing
@testable import BytebitCore

/// The machine's restart rules: start, backoff with jitter, holds on 64/78, spawn failures.
@Suite struct SupervisorMachineRestartTests {
    @Test func startSpawnsEveryMarketInConfigOrderThenTellsSystemdItIsReady() throws {
        var driver = SupervisorMachineDriver(try SupervisorTestConfig.config("BTC-USD", "ETH-USD"))
        let actions = driver.send(.start)
        #expect(actions.spawned == ["BTC-USD", "ETH-USD"])
        #expect(actions.notifications == ["READY=1\nSTATUS=2/2 markets running, 0 restarts"])
        #expect(driver.pid("BTC-USD") == 1001 && driver.pid("ETH-USD") == 1002)
        #expect(driver.machine.runningCollectors.count == 2)
    }

    @Test func aCrashRestartsAfterADoublingDelayWithinTheJitter() throws {
        var policy = SupervisorPolicy()
        policy.restartPolicy = RestartPolicy(
            initialDelayMicroseconds: 1_000_000, maximumDelayMicroseconds: 8_000_000, jitterFraction: 0.2,
            healthyAfterMicroseconds: 60_000_000)
        var driver = SupervisorMachineDriver(try SupervisorTestConfig.config("BTC-USD"), policy: policy)
        driver.send(.start)
        var delays: [Int64] = []
        for _ in 0..<5 {
            driver.advance(100_000)
            let actions = try driver.exit("BTC-USD", .exited(1), lastError: "boom")
            let delay = try #require(actions.restartDelays(from: driver.now).first)
            delays.append(delay)
            #expect(driver.state("BTC-USD")?.phase == .waiting)
            #expect(actions.logLines.first?.metadata["last_error"] == "boom")
            // Not started a moment before its time; started when the timer fires.
            #expect(driver.advance(delay - 1).spawned.isEmpty)
            #expect(driver.advance(1).spawned == ["BTC-USD"])
        }
        for (delay, base) in zip(delays, [1_000_000, 2_000_000, 4_000_000, 8_000_000, 8_000_000] as [Int64]) {
            #expect(delay >= base * 8 / 10 && delay <= min(base * 12 / 10, 8_000_000), "\(delays)")
        }
        #expect(Set(delays).count > 2, "jitter must vary the delays: \(delays)")
        #expect(driver.state("BTC-USD")?.restarts == 5)
    }

    @Test func theSameSeedGivesTheSameJitterAndAnotherSeedAnother() throws {
        func firstDelays(seed: UInt64) throws -> [Int64] {
            var driver = SupervisorMachineDriver(try SupervisorTestConfig.config("BTC-USD"), seed: seed)
            driver.send(.start)
            var delays: [Int64] = []
            for _ in 0..<4 {
                let actions = try driver.exit("BTC-USD", .signalled(SIGSEGV))
                let delay = try #require(actions.restartDelays(from: driver.now).first)
                delays.append(delay)
                driver.advance(delay)
            }
            return delays
        }
        #expect(try firstDelays(seed: 1) == firstDelays(seed: 1))
        #expect(try firstDelays(seed: 1) != firstDelays(seed: 2))
    }

    @Test func aHealthyRunStartsTheBackoffOver() throws {
        var driver = SupervisorMachineDriver(try SupervisorTestConfig.config("BTC-USD"))
        driver.send(.start)
        for _ in 0..<3 {
            let delay = try #require(try driver.exit("BTC-USD", .exited(1)).restartDelays(from: driver.now).first)
            driver.advance(delay)
        }
        driver.advance(61_000_000)
        let delay = try #require(try driver.exit("BTC-USD", .exited(1)).restartDelays(from: driver.now).first)
        #expect(delay <= 1_200_000, "after 61 s of health the delay is the initial one again, got \(delay)")
    }

    @Test(arguments: [Int32(64), 78])
    func aUsageOrConfigErrorIsHeldWithItsReasonUntilTheConfigChanges(code: Int32) throws {
        let config = try SupervisorTestConfig.config("BTC-USD", "ETH-USD")
        var driver = SupervisorMachineDriver(config)
        driver.send(.start)
        let actions = try driver.exit("ETH-USD", .exited(code), lastError: "pair ETH/USD is not listed by Kraken")
        #expect(actions.restartDelays(from: driver.now).isEmpty)
        #expect(actions.logLines.map(\.level) == [.error])
        let held = try #require(driver.state("ETH-USD"))
        #expect(held.phase == .held)
        #expect(held.heldReason == "\(ChildExit.exited(code)): pair ETH/USD is not listed by Kraken")
        #expect(driver.machine.statusLine == "1/2 markets running, 0 restarts, 1 held by a configuration error")
        // Time passing, or a reload that leaves the market as it was, does not start it.
        #expect(driver.advance(3_600_000_000).spawned.isEmpty)
        #expect(driver.send(.reloadRequested(config)).spawned.isEmpty)
        #expect(driver.state("ETH-USD")?.phase == .held)
        // Its settings changing does.
        let fixed = SupervisorTestConfig.config([
            try SupervisorTestConfig.market("BTC-USD"), try SupervisorTestConfig.market("ETH-USD", depth: 100),
        ])
        #expect(driver.send(.reloadRequested(fixed)).spawned == ["ETH-USD"])
        #expect(driver.state("ETH-USD")?.phase == .running)
        #expect(driver.state("ETH-USD")?.heldReason == nil)
    }

    @Test func aCollectorThatCannotBeStartedIsRetriedWithBackoff() throws {
        var driver = SupervisorMachineDriver(try SupervisorTestConfig.config("BTC-USD"))
        driver.failingSpawns["BTC-USD"] = "no such file"
        let actions = driver.send(.start)
        #expect(actions.logLines.first?.message == "cannot start the collector")
        let delay = try #require(actions.restartDelays(from: driver.now).first)
        #expect(driver.state("BTC-USD")?.phase == .waiting)
        #expect(driver.advance(delay).spawned == ["BTC-USD"])
        #expect(driver.pid("BTC-USD") != nil)
    }

    @Test func anExitOfAnEarlierProcessOrAStaleTimerChangesNothing() throws {
        var driver = SupervisorMachineDriver(try SupervisorTestConfig.config("BTC-USD"))
        driver.send(.start)
        #expect(driver.send(.childExited("BTC-USD", pid: 42, exit: .exited(1), lastError: nil)).isEmpty)
        let delay = try #require(try driver.exit("BTC-USD", .exited(1)).restartDelays(from: driver.now).first)
        // A reload that changes the market starts it at once; the restart timer must not start a second one.
        let changed = SupervisorTestConfig.config([try SupervisorTestConfig.market("BTC-USD", depth: 100)])
        #expect(driver.send(.reloadRequested(changed)).spawned == ["BTC-USD"])
        #expect(driver.advance(delay).spawned.isEmpty)
    }

    @Test func aCollectorNobodyAskedForIsStopped() throws {
        var driver = SupervisorMachineDriver(try SupervisorTestConfig.config("BTC-USD"))
        driver.send(.start)
        let stray = driver.send(.childStarted("ETH-USD", pid: 77))
        #expect(stray.signals.map(\.pid) == [77] && stray.signals.map(\.signal) == [SIGTERM])
        #expect(driver.machine.marketStates.map(\.market) == ["BTC-USD"])
    }

    @Test func aSupersededRestartTimerDoesNotCutTheNextWaitShort() throws {
        var policy = SupervisorPolicy()
        policy.restartPolicy = RestartPolicy(
            initialDelayMicroseconds: 1_000_000, maximumDelayMicroseconds: 60_000_000, jitterFraction: 0,
            healthyAfterMicroseconds: 60_000_000)
        var driver = SupervisorMachineDriver(try SupervisorTestConfig.config("BTC-USD"), policy: policy)
        driver.send(.start)
        try driver.exit("BTC-USD", .exited(1))
        // 100 ms later a reload starts it at once, and it crashes again: a new 1 s wait from then.
        driver.advance(100_000)
        let changed = SupervisorTestConfig.config([try SupervisorTestConfig.market("BTC-USD", depth: 100)])
        #expect(driver.send(.reloadRequested(changed)).spawned == ["BTC-USD"])
        try driver.exit("BTC-USD", .exited(1))
        #expect(driver.advance(900_000).spawned.isEmpty, "the first wait's timer is stale")
        #expect(driver.advance(99_999).spawned.isEmpty)
        #expect(driver.advance(1).spawned == ["BTC-USD"])
    }
}
