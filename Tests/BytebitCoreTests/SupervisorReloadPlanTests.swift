import Testing
@testable import BytebitCore

@Suite struct SupervisorReloadPlanTests {
    private func market(_ name: String, depth: Int = 25) throws -> MarketConfig {
        MarketConfig(
            pair: try #require(MarketPair(parsing: name)), depth: depth, levels: 10, mode: .update,
            recordsOrderBook: true, recordsTrades: true)
    }

    private func config(_ markets: [MarketConfig], dataDirectory: String = "/srv/data") -> BytebitConfig {
        BytebitConfig(dataDirectory: dataDirectory, logDirectory: "/srv/logs", markets: markets)
    }

    @Test func sortsMarketsIntoAddedRemovedChangedAndUnchanged() throws {
        let running = config([try market("BTC-USD"), try market("ETH-USD"), try market("SOL-USD")])
        let new = config([try market("BTC-USD"), try market("ETH-USD", depth: 100), try market("ADA-EUR")])
        let plan = ReloadPlan(from: running, to: new)
        #expect(plan.added == [try market("ADA-EUR")])
        #expect(plan.removed.map(\.name) == ["SOL-USD"])
        #expect(plan.changed == [try market("ETH-USD", depth: 100)])
        #expect(plan.unchanged.map(\.name) == ["BTC-USD"])
        #expect(!plan.isEmpty)
        #expect(plan.description == "added ADA-EUR; removed SOL-USD; changed ETH-USD; unchanged 1")
    }

    @Test func anIdenticalConfigChangesNothing() throws {
        let running = config([try market("BTC-USD"), try market("ETH-USD")])
        let plan = ReloadPlan(from: running, to: running)
        #expect(plan.isEmpty)
        #expect(plan.unchanged.map(\.name) == ["BTC-USD", "ETH-USD"])
    }

    @Test func reorderingMarketsChangesNothing() throws {
        let plan = ReloadPlan(
            from: config([try market("BTC-USD"), try market("ETH-USD")]),
            to: config([try market("ETH-USD"), try market("BTC-USD")]))
        #expect(plan.isEmpty)
    }

    @Test func aSharedSettingChangeRestartsEveryKeptMarket() throws {
        let running = config([try market("BTC-USD"), try market("ETH-USD")])
        let new = config([try market("BTC-USD"), try market("XRP-USD")], dataDirectory: "/elsewhere")
        let plan = ReloadPlan(from: running, to: new)
        #expect(plan.sharedSettingsChanged)
        #expect(plan.changed.map(\.pair.name) == ["BTC-USD"])
        #expect(plan.added.map(\.pair.name) == ["XRP-USD"])
        #expect(plan.removed.map(\.name) == ["ETH-USD"])
        #expect(plan.unchanged.isEmpty)
    }

    @Test func aNewEndpointIsASharedChange() throws {
        let running = config([try market("BTC-USD")])
        var new = running
        new.kraken = KrakenEndpoint(url: "ws://127.0.0.1:9000/v2")
        #expect(ReloadPlan(from: running, to: new).changed.map(\.pair.name) == ["BTC-USD"])
    }
}
