import Foundation
import Testing
@testable import BytebitCore

/// The supervisor with markets sharing connections: one collector per `MarketGroup`, restarted,
/// reloaded and declared hung as a whole, and `all_markets` following the online pair list.
@Suite struct SupervisorMachineGroupTests {
    typealias Config = SupervisorTestConfig

    static let names = ["ADA-EUR", "BTC-USD", "DOT-USD", "ETH-USD", "SOL-USD"]

    static func grouped(_ names: [String], size: Int = 2) throws -> BytebitConfig {
        var config = Config.config(try names.map { try Config.market($0) })
        config.kraken.pairsPerConnection = .fixed(size)
        return config
    }

    @Test func eachGroupIsOneCollectorCarryingItsMarkets() throws {
        let config = try Self.grouped(Self.names)
        let expected = config.groups(for: config.markets)
        var driver = SupervisorMachineDriver(config)
        let launches = driver.send(.start).spawnedLaunches
        #expect(expected.contains { $0.pairs.count > 1 }, "the test needs a real group")
        #expect(Set(launches.map(\.name)) == Set(expected.map(\.name)))
        for group in expected {
            #expect(launches.first { $0.name == group.name }?.pairs == group.pairs)
        }
        #expect(launches.flatMap(\.pairs).map(\.name).sorted() == Self.names)
        // Every market has a state entry; a group's markets share its collector's pid and name it.
        let states = driver.machine.marketStates
        #expect(states.map(\.market).sorted() == Self.names)
        for group in expected where group.pairs.count > 1 {
            let entries = states.filter { entry in group.pairs.contains { $0.name == entry.market } }
            #expect(Set(entries.compactMap(\.pid)).count == 1)
            #expect(entries.allSatisfy { $0.collector == group.name })
        }
        #expect(driver.machine.collectorCount == expected.count)
    }

    @Test func aCrashedGroupRestartsAsOneCollectorWithBackoff() throws {
        let config = try Self.grouped(Self.names)
        let group = try #require(config.groups(for: config.markets).first { $0.pairs.count > 1 })
        var driver = SupervisorMachineDriver(config)
        driver.send(.start)
        let delay = try #require(try driver.exit(group.name, .exited(1)).restartDelays(from: driver.now).first)
        for pair in group.pairs { #expect(driver.state(pair.name)?.phase == .waiting) }
        let restarted = driver.advance(delay).spawnedLaunches
        #expect(restarted.map(\.name) == [group.name])
        #expect(restarted.first?.pairs == group.pairs)
        for pair in group.pairs { #expect(driver.state(pair.name)?.restarts == 1) }
    }

    @Test func addingOneMarketRestartsAtMostTheCollectorThatCarriesIt() throws {
        let before = try Self.grouped(Self.names)
        let after = try Self.grouped(Self.names + ["XRP-USD"])
        var driver = SupervisorMachineDriver(before)
        driver.send(.start)
        let pidsBefore = driver.machine.runningCollectors.mapValues(\.pid)
        let actions = driver.send(.reloadRequested(after))
        let xrp = try driver.pairNamed("XRP-USD")
        let carrier = try #require(after.groups(for: after.markets).first { $0.pairs.contains(xrp) })
        // Either a new collector for the new pair's group, or one restart of the group it joins.
        #expect(actions.signals.count + actions.spawned.count == 1)
        if let signal = actions.signals.first {
            #expect(signal.pid == pidsBefore[carrier.name] && signal.signal == SIGTERM)
            let restarted = try driver.exit(carrier.name, .exited(0)).spawnedLaunches
            #expect(restarted.map(\.pairs) == [carrier.pairs])
        } else {
            #expect(actions.spawnedLaunches.map(\.pairs) == [carrier.pairs])
        }
        for (name, pid) in pidsBefore where name != carrier.name {
            #expect(driver.machine.runningCollectors[name]?.pid == pid, "\(name) kept running")
        }
        #expect(driver.machine.marketStates.map(\.market).sorted() == (Self.names + ["XRP-USD"]).sorted())
    }

    @Test func aGroupIsHungWhenItsOneStatusFileIsStale() throws {
        var policy = SupervisorPolicy()
        policy.heartbeat = Heartbeat(timeoutMicroseconds: 30_000_000)
        var config = try Self.grouped(["BTC-USD", "ETH-USD"], size: 2)
        config.kraken.pairsPerConnection = .fixed(2)
        var driver = SupervisorMachineDriver(config, policy: policy)
        let launch = try #require(driver.send(.start).spawnedLaunches.first)
        #expect(launch.pairs.count == 2, "both markets on one collector")
        let started = driver.now
        driver.advance(40_000_000)
        let fresh = driver.now
        let running = driver.machine.runningCollectors.mapValues(\.pairs)
        // The group's one status file is its heartbeat (not its markets' files).
        let run = RunDirectory(logDirectory: "/var/log/bytebit")
        let files = Heartbeat.statusFiles(of: running, in: run)
        #expect(files == [launch.name: "/var/log/bytebit/run/collectors/\(launch.name).json"])
        #expect(driver.send(.tick(heartbeats: files.mapValues { _ in fresh })).signals.isEmpty)
        driver.advance(31_000_000)
        let stale = files.mapValues { _ in started }
        let killed = driver.send(.tick(heartbeats: stale))
        #expect(killed.signals.map(\.signal) == [SIGKILL])
        #expect(killed.signals.map(\.pid) == [try #require(driver.machine.runningCollectors[launch.name]?.pid)])
    }

    @Test func allMarketsFollowsTheOnlinePairs() throws {
        var config = Config.config([])
        config.allMarkets = AllMarketsFilter(quotes: ["USD"])
        var driver = SupervisorMachineDriver(config)
        let started = driver.send(.start).spawnedLaunches
        #expect(started == [.instrumentWatcher], "no list yet: only the watcher, which records nothing")
        #expect(driver.send(.tick(heartbeats: [:])).isEmpty, "the watcher writes no status: never called hung")
        let online = try ["BTC-USD", "ETH-EUR", "SOL-USD"].map { try driver.pairNamed($0) }
        #expect(driver.send(.onlinePairsChanged(online)).spawned == ["BTC-USD", "SOL-USD"])
        #expect(driver.send(.onlinePairsChanged(online)).isEmpty, "the same list changes nothing")
        let solPID = try #require(driver.pid("SOL-USD"))
        let delisted = driver.send(.onlinePairsChanged([online[0]]))
        #expect(delisted.signals.map(\.pid) == [solPID])
        let stopped = try driver.exit("SOL-USD", .exited(0))
        #expect(stopped.contains(.removeStatusFile(try driver.pairNamed("SOL-USD"))))
        #expect(stopped.spawned.isEmpty)
        #expect(driver.machine.marketStates.map(\.market) == ["BTC-USD"])
        // A crashed watcher is restarted like any collector.
        let delay = try #require(try driver.exit("instruments", .exited(1)).restartDelays(from: driver.now).first)
        #expect(driver.advance(delay).spawnedLaunches == [.instrumentWatcher])
    }

    /// A configured market starts once, in its final group: not alone, then again beside the listed pairs.
    @Test func withAllMarketsTheConfiguredMarketsWaitForTheFirstList() throws {
        var config = Config.config([try Config.market("BTC-USD")])
        config.allMarkets = AllMarketsFilter(quotes: ["USD"])
        var driver = SupervisorMachineDriver(config)
        #expect(driver.send(.start).spawnedLaunches == [.instrumentWatcher])
        let online = try ["BTC-USD", "ETH-EUR", "SOL-USD"].map { try driver.pairNamed($0) }
        #expect(driver.send(.onlinePairsChanged(online)).spawned == ["BTC-USD", "SOL-USD"])
        #expect(driver.advance(driver.machine.policy.instrumentListWaitMicroseconds).spawned.isEmpty)

        // No list in time (Kraken unreachable): the configured markets start alone, the rest follow the list.
        var late = SupervisorMachineDriver(config)
        late.send(.start)
        let overdue = late.advance(late.machine.policy.instrumentListWaitMicroseconds)
        #expect(overdue.spawned == ["BTC-USD"])
        #expect(overdue.contains { if case .log(let line) = $0 { line.level == .warning } else { false } })
        #expect(late.send(.onlinePairsChanged(online)).spawned == ["SOL-USD"])
    }

    @Test func aNewEndpointRestartsTheWatcherAndRemovingAllMarketsStopsIt() throws {
        var config = Config.config([])
        config.allMarkets = AllMarketsFilter()
        var driver = SupervisorMachineDriver(config)
        driver.send(.start)
        let first = try #require(driver.machine.collectors["instruments"]?.pid)
        var moved = config
        moved.kraken.url = "ws://127.0.0.1:9/v2"
        #expect(driver.send(.reloadRequested(moved)).signals.map(\.pid) == [first])
        #expect(try driver.exit("instruments", .exited(0)).spawnedLaunches == [.instrumentWatcher])
        let second = try #require(driver.machine.collectors["instruments"]?.pid)
        var listed = moved
        listed.allMarkets = nil
        #expect(driver.send(.reloadRequested(listed)).signals.map(\.pid) == [second])
        #expect(try driver.exit("instruments", .exited(0)).spawned.isEmpty)
        #expect(driver.machine.collectors["instruments"] == nil)
    }
}
