import Foundation
import Testing

@testable import BytebitCore

/// The service children (SPEC §8, §9): the loader while `postgres` is set, the feed server while
/// `live` is set, each supervised like a collector and following reloads.
@Suite struct SupervisorMachineServiceTests {
    typealias Config = SupervisorTestConfig

    private static func withOutputs(_ config: BytebitConfig) throws -> BytebitConfig {
        var config = config
        config.postgres = PostgresOutput(url: try #require(ServiceURL("postgresql://bytebit:pw@127.0.0.1:5432/market")))
        config.live = LiveOutput(host: "127.0.0.1", port: 8800, tokenFile: "/srv/live.token")
        return config
    }

    @Test func servicesStartBesideTheCollectorsAndAreNeverCalledHung() throws {
        var driver = SupervisorMachineDriver(try Self.withOutputs(try Config.config("BTC-USD")))
        let started = driver.send(.start).spawnedLaunches
        #expect(started.map(\.name) == ["BTC-USD", "loader", "live"])
        #expect(started.map(\.role) == [.markets, .loader, .liveFeed])
        #expect(driver.machine.collectorCount == 1, "services are not collectors")
        #expect(driver.machine.marketStates.map(\.market) == ["BTC-USD"])
        let collector = try #require(driver.pid("BTC-USD"))
        driver.advance(600_000_000)
        let tick = driver.send(.tick(heartbeats: [:]))
        #expect(tick.signals.count == 1, "only the collector, which writes no status here, is killed as hung")
        #expect(tick.signals.first?.pid == collector)
    }

    @Test func withoutTheSectionsNoServiceStarts() throws {
        var driver = SupervisorMachineDriver(try Config.config("BTC-USD"))
        #expect(driver.send(.start).spawned == ["BTC-USD"])
    }

    @Test func aCrashedServiceRestartsWithBackoffAndAConfigErrorHoldsIt() throws {
        var driver = SupervisorMachineDriver(try Self.withOutputs(try Config.config("BTC-USD")))
        driver.send(.start)
        let exited = try driver.exit("loader", .exited(75))
        let delay = try #require(exited.restartDelays(from: driver.now).first)
        #expect(exited.logLines.contains { $0.message.contains("restarting") && $0.metadata["collector"] == "loader" })
        #expect(driver.advance(delay).spawnedLaunches == [.loader])
        let held = try driver.exit("live", .exited(78), lastError: "cannot read the token file")
        #expect(held.restartDelays(from: driver.now).isEmpty)
        #expect(driver.machine.collectors["live"]?.heldReason?.contains("cannot read the token file") == true)
        driver.advance(3_600_000_000)
        #expect(driver.machine.collectors["live"]?.pid == nil, "held until its settings change")
        var fixed = driver.machine.config
        fixed.live?.tokenFile = "/srv/other.token"
        #expect(driver.send(.reloadRequested(fixed)).spawnedLaunches == [.liveFeed])
    }

    @Test func reloadsStartStopAndRestartServicesWithoutTouchingCollectors() throws {
        let plain = try Config.config("BTC-USD")
        var driver = SupervisorMachineDriver(plain)
        driver.send(.start)
        let collector = try #require(driver.pid("BTC-USD"))
        var withDatabase = plain
        withDatabase.postgres = PostgresOutput(url: try #require(ServiceURL("postgresql://127.0.0.1/market")))
        let added = driver.send(.reloadRequested(withDatabase))
        #expect(added.spawnedLaunches == [.loader])
        #expect(added.signals.isEmpty, "a database is no business of the collectors")
        let loader = try #require(driver.machine.collectors["loader"]?.pid)
        var moved = withDatabase
        moved.postgres = PostgresOutput(url: try #require(ServiceURL("postgresql://127.0.0.1/elsewhere")))
        #expect(driver.send(.reloadRequested(moved)).signals.map(\.pid) == [loader])
        #expect(try driver.exit("loader", .exited(0)).spawnedLaunches == [.loader])
        let second = try #require(driver.machine.collectors["loader"]?.pid)
        #expect(driver.send(.reloadRequested(plain)).signals.map(\.pid) == [second])
        #expect(try driver.exit("loader", .exited(0)).spawned.isEmpty)
        #expect(driver.machine.collectors["loader"] == nil)
        #expect(driver.pid("BTC-USD") == collector, "the collector ran throughout")
    }

    @Test func turningTheLiveFeedOnRestartsCollectorsSoTheyFeedIt() throws {
        let plain = try Config.config("BTC-USD")
        var driver = SupervisorMachineDriver(plain)
        driver.send(.start)
        let collector = try #require(driver.pid("BTC-USD"))
        var live = plain
        live.live = LiveOutput(host: "127.0.0.1", port: 0, tokenFile: "/srv/live.token")
        let actions = driver.send(.reloadRequested(live))
        #expect(actions.spawnedLaunches == [.liveFeed])
        #expect(actions.signals.map(\.pid) == [collector], "the collector restarts with the feed's socket")
    }

    /// The loader stops last, once every market collector has exited: the rows they write as they
    /// stop are then in the files for its final pass. The other services stop with the collectors.
    @Test func shutdownStopsTheLoaderOnceTheCollectorsAreGone() throws {
        var driver = SupervisorMachineDriver(try Self.withOutputs(try Config.config("BTC-USD", "ETH-USD")))
        driver.send(.start)
        let pids = try ["BTC-USD", "ETH-USD", "loader", "live"].map { try #require(driver.machine.collectors[$0]?.pid) }
        let stopping = driver.send(.stopRequested(signal: SIGTERM))
        #expect(stopping.signals.map(\.pid) == [pids[0], pids[1], pids[3]])
        #expect(try driver.exit("BTC-USD", .exited(0)).signals.isEmpty, "ETH-USD still writes")
        #expect(try driver.exit("live", .exited(0)).signals.isEmpty)
        let last = try driver.exit("ETH-USD", .exited(0))
        #expect(last.signals.map(\.pid) == [pids[2]])
        #expect(last.exitCode == nil)
        #expect(try driver.exit("loader", .exited(0)).exitCode == 0)
        // Its grace period runs from its own SIGTERM.
        #expect(driver.timers.contains { $0.timer == .gracePeriodEnded("loader", pid: pids[2]) })
    }

    /// A market collector that the grace period has to kill still lets the loader go last.
    @Test func aKilledCollectorStillLetsTheLoaderStop() throws {
        var driver = SupervisorMachineDriver(try Self.withOutputs(try Config.config("BTC-USD")))
        driver.send(.start)
        let collector = try #require(driver.pid("BTC-USD"))
        let loader = try #require(driver.machine.collectors["loader"]?.pid)
        driver.send(.stopRequested(signal: SIGTERM))
        let killed = driver.advance(driver.machine.policy.gracePeriodMicroseconds)
        #expect(killed.signals.contains { $0 == (collector, SIGKILL) })
        #expect(!killed.signals.contains { $0.pid == loader }, "not asked to stop yet")
        #expect(try driver.exit("BTC-USD", .signalled(SIGKILL)).signals.map(\.pid) == [loader])
    }
}
