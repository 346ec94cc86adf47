import Foundation
import Testing
@testable import BytebitCore

/// The markets' state entries are built once per change of a collector, not at every event: the
/// supervisor asks for them (the `STATUS=` line, the state file) several times a second.
@Suite struct SupervisorMarketStatesTests {
    static func baseAddress(_ markets: [SupervisorState.Market]) -> UnsafeRawPointer? {
        markets.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    @Test func ticksWithNoChangeKeepTheSameEntriesAndAChangeShowsAtOnce() throws {
        let config = try SupervisorMachineGroupTests.grouped(SupervisorMachineGroupTests.names)
        var driver = SupervisorMachineDriver(config)
        driver.send(.start)
        let before = driver.machine.marketStates
        #expect(before.allSatisfy { $0.phase == .running })
        driver.advance(1_000_000)
        driver.send(.tick(heartbeats: [:]))
        driver.send(.statusesRead([]))
        let after = driver.machine.marketStates
        #expect(after == before)
        #expect(Self.baseAddress(after) == Self.baseAddress(before), "unchanged: the same entries, not rebuilt")
        let summary = driver.machine.statusLine
        #expect(summary.hasPrefix("5/5 markets running, 0 restarts"))

        // A collector exits: its markets' entries and the summary change with that event.
        let name = try #require(config.groups(for: config.markets).first { $0.pairs.count > 1 }?.name)
        let carried = try #require(driver.machine.collectors[name]?.launch.pairs.map(\.name))
        try driver.exit(name, .exited(1))
        let changed = driver.machine.marketStates
        #expect(changed.filter { carried.contains($0.market) }.allSatisfy { $0.phase == .waiting })
        #expect(driver.machine.statusLine != summary)
        #expect(driver.machine.statusLine.contains("waiting to restart"))
    }
}
