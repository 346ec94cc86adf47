import BytebitCore
import Foundation
import Testing

/// Collectors per group: a change of the market set restarts only the groups it touches, and the
/// online pair list the instrument watcher writes is read back exactly.
@Suite struct SupervisorGroupReloadTests {
    static func market(_ pair: MarketPair, depth: Int = 25) -> MarketConfig {
        MarketConfig(pair: pair, depth: depth, levels: 10, mode: .update, recordsOrderBook: true, recordsTrades: true)
    }

    @Test func addingOnePairRestartsOnlyTheCollectorCarryingIt() throws {
        let universe = try ConfigMarketGroupingTests.onlinePairs()
        let running = Array(universe.dropLast())
        let new = universe
        let runningGroups = MarketGrouping.groups(for: running, setting: .auto)
        let newGroups = MarketGrouping.groups(for: new, setting: .auto)
        let plan = GroupReloadPlan(
            running: runningGroups, runningMarkets: running.map { Self.market($0) }, new: newGroups,
            newMarkets: new.map { Self.market($0) })
        let addedPair = try #require(universe.last)
        #expect(plan.stopped.isEmpty)
        #expect(plan.started.count + plan.restarted.count == 1)
        #expect((plan.started + plan.restarted).allSatisfy { $0.pairs.contains(addedPair) })
        #expect(plan.unchanged.count == newGroups.count - 1)
    }

    @Test func aChangedSettingRestartsOnlyItsGroupAndSharedSettingsRestartAll() throws {
        let pairs = try ConfigMarketGroupingTests.onlinePairs()
        let groups = MarketGrouping.groups(for: pairs, setting: .auto)
        let target = try #require(pairs.first)
        let before = pairs.map { Self.market($0) }
        let after = pairs.map { Self.market($0, depth: $0 == target ? 100 : 25) }
        let plan = GroupReloadPlan(running: groups, runningMarkets: before, new: groups, newMarkets: after)
        #expect(plan.restarted.count == 1)
        #expect(plan.restarted.first?.pairs.contains(target) == true)
        #expect(plan.started.isEmpty && plan.stopped.isEmpty)
        let shared = GroupReloadPlan(
            running: groups, runningMarkets: before, new: groups, newMarkets: before, sharedSettingsChanged: true)
        #expect(shared.restarted.count == groups.count)
        let nothing = GroupReloadPlan(running: groups, runningMarkets: before, new: groups, newMarkets: before)
        #expect(nothing.isEmpty)
    }

    @Test func onlinePairsFollowSnapshotAndUpdatesAndRoundTripThroughTheFile() throws {
        let bytes = [UInt8](try KrakenFixture.data("kraken-data-recorder_instrument_snapshot.json"))
        var decoder = KrakenDecoder()
        guard case .instrument(let snapshot) = try decoder.decode(bytes) else {
            Issue.record("not an instrument message")
            return
        }
        var online = OnlinePairs()
        var unreadable: [String] = []
        #expect(online.apply(snapshot, unreadable: &unreadable))
        #expect(unreadable == [])
        #expect(online.pairs.count == 672)
        let delisting = KrakenInstrumentMessage(isSnapshot: false, pairs: [
            KrakenInstrumentPair(symbol: "ETH2.S/ETH", pricePrecision: 4, qtyPrecision: 8, status: "delisted"),
            KrakenInstrumentPair(symbol: "NEW1/USD", pricePrecision: 4, qtyPrecision: 8, status: "online"),
            KrakenInstrumentPair(symbol: "bad symbol", pricePrecision: 4, qtyPrecision: 8, status: "online"),
        ])
        #expect(online.apply(delisting, unreadable: &unreadable))
        #expect(unreadable == ["bad symbol"])
        #expect(online.pairs.count == 672)
        #expect(!online.pairs.contains(try #require(MarketPair(parsing: "ETH2.S-ETH"))))
        #expect(online.pairs.contains(try #require(MarketPair(parsing: "NEW1-USD"))))
        #expect(!online.apply(KrakenInstrumentMessage(isSnapshot: false, pairs: []), unreadable: &unreadable))

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("instruments-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try online.write(to: path)
        #expect(try OnlinePairs.read(from: path) == online.pairs.sorted())
        try Data("[\"..-USD\"]".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SupervisorError.self) { try OnlinePairs.read(from: path) }
    }
}
