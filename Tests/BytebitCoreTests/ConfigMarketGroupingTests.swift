import BytebitCore
import Foundation
import Testing

/// `kraken.pairs_per_connection` and its grouping (SPEC §3.1, §7).
@Suite struct ConfigMarketGroupingTests {
    static func onlinePairs() throws -> [MarketPair] {
        try ConfigPairNameTests.onlineSymbols().compactMap { MarketPair(krakenSymbol: $0) }
    }

    /// A random subset of `universe` drawn with a fixed-seed generator, so failures repeat.
    static func subset(of universe: [MarketPair], count: Int, generator: inout SplitMix) -> [MarketPair] {
        var pool = universe
        for index in pool.indices.reversed() where index > 0 {
            pool.swapAt(index, Int(generator.next() % UInt64(index + 1)))
        }
        return Array(pool.prefix(count))
    }

    /// How many groups differ between two groupings (present in one and not the other).
    static func changedGroups(_ before: [MarketGroup], _ after: [MarketGroup]) -> Int {
        Set(before).symmetricDifference(Set(after)).count
    }

    /// More connections than the shared budget's window allows is valid but slow to start:
    /// `bytebit check` (and `bytebit run`'s log) say so; `auto` never needs the warning.
    @Test func moreConnectionsThanTheBudgetAllowsAreAWarning() throws {
        let pairs = try Self.onlinePairs()
        func markets(_ count: Int) throws -> [MarketConfig] {
            try pairs.prefix(count).map { try SupervisorTestConfig.market($0.name) }
        }
        var config = SupervisorTestConfig.config(try markets(130))
        config.kraken.pairsPerConnection = .fixed(1)
        let warning = try #require(config.connectionBudgetWarning)
        #expect(warning.hasPrefix("130 connections, more than the 120 connection attempts"), "\(warning)")
        #expect(warning.contains("the last collectors wait about 10 minutes"))
        #expect(config.effectiveSettingsReport.contains("\nwarning: 130 connections"))
        config.markets = try markets(120)
        #expect(config.connectionBudgetWarning == nil)
        config.markets = try markets(pairs.count)
        config.kraken.pairsPerConnection = .auto
        #expect(config.connectionBudgetWarning == nil)
        #expect(!config.effectiveSettingsReport.contains("warning:"))
    }

    @Test func autoKeepsOneMarketPerCollectorUpTo20() throws {
        let pairs = Array(try Self.onlinePairs().prefix(20))
        let groups = MarketGrouping.groups(for: pairs, setting: .auto)
        #expect(groups.count == 20)
        #expect(groups.allSatisfy { $0.pairs.count == 1 && $0.name == $0.pairs[0].name })
    }

    /// Eight connections for Kraken's 672 pairs (SPEC §7: at most about 25): a connection per ~27
    /// pairs cost the tree more CPU than its recording (issue 10, `bytebit-bench tree-floor`), and
    /// eight stay well under Kraken's 200 symbols per connection.
    @Test func autoGroups672PairsIntoEightConnectionsOfAtMost100() throws {
        let pairs = try Self.onlinePairs()
        let groups = MarketGrouping.groups(for: pairs, setting: .auto)
        #expect(groups.count == 8)
        #expect(groups.count <= MarketGrouping.autoBucketCount)
        #expect(groups.allSatisfy { (50...100).contains($0.pairs.count) }, "\(groups.map(\.pairs.count))")
        #expect(groups.flatMap(\.pairs).sorted() == pairs.sorted())
        #expect(Set(groups.map(\.name)).count == groups.count)
        #expect(groups.map(\.name) == (0..<8).map { "group-\($0)" })
    }

    /// Just above 20 markets `auto` already groups: at most eight collectors, every market in one.
    @Test func autoGroups21MarketsIntoAtMostEightCollectors() throws {
        let pairs = Array(try Self.onlinePairs().prefix(21))
        let groups = MarketGrouping.groups(for: pairs, setting: .auto)
        #expect(groups.count <= 8)
        #expect(groups.flatMap(\.pairs).sorted() == pairs.sorted())
    }

    @Test(arguments: [PairsPerConnection.auto, .fixed(10), .fixed(50)])
    func addingOrRemovingOneMarketChangesAtMostItsGroup(setting: PairsPerConnection) throws {
        let universe = try Self.onlinePairs()
        var generator = SplitMix(seed: 0x5eed)
        for _ in 0..<200 {
            let count = 21 + Int(generator.next() % UInt64(universe.count - 22))
            let chosen = Self.subset(of: universe, count: count + 1, generator: &generator)
            let base = Array(chosen.dropLast())
            let before = MarketGrouping.groups(for: base, setting: setting)
            let added = MarketGrouping.groups(for: chosen, setting: setting)
            let removedPair = base[Int(generator.next() % UInt64(base.count))]
            let removed = MarketGrouping.groups(for: base.filter { $0 != removedPair }, setting: setting)
            // `fixed` may cross a power-of-two bucket boundary, which regroups on purpose; skip those counts.
            if case .fixed(let size) = setting,
                Self.bucketsCrossed(count, count + 1, size: size) || Self.bucketsCrossed(count, count - 1, size: size) {
                continue
            }
            // Every group that changed belongs to the bucket of the added or removed pair.
            #expect(Self.changedBuckets(before, added).count <= 1, "adding \(chosen[count]) to \(count)")
            #expect(Self.changedBuckets(before, removed).count <= 1, "removing \(removedPair) from \(count)")
            if setting == .auto {
                // One group gives way to one new version of itself: two differ, the rest are equal.
                #expect(Self.changedGroups(before, added) <= 2)
                #expect(Self.changedGroups(before, removed) <= 2)
            }
        }
    }

    /// The buckets (`group-07` of `group-07.2`) of the groups that differ.
    static func changedBuckets(_ before: [MarketGroup], _ after: [MarketGroup]) -> Set<Substring> {
        Set(Set(before).symmetricDifference(Set(after)).map { $0.name.split(separator: ".").first ?? "" })
    }

    static func bucketsCrossed(_ one: Int, _ other: Int, size: Int) -> Bool {
        func buckets(_ markets: Int) -> Int {
            var count = 1
            while count * size < 2 * markets { count *= 2 }
            return count
        }
        return buckets(one) != buckets(other)
    }

    @Test func fixedSizeNeverExceedsTheSetting() throws {
        let pairs = try Self.onlinePairs()
        for size in [1, 7, 30, 200] {
            let groups = MarketGrouping.groups(for: pairs, setting: .fixed(size))
            #expect(groups.allSatisfy { $0.pairs.count <= size })
            #expect(groups.flatMap(\.pairs).count == pairs.count)
        }
        #expect(MarketGrouping.groups(for: pairs, setting: .fixed(1)).count == pairs.count)
    }

    @Test(arguments: [("auto", PairsPerConnection.auto), ("1", .fixed(1)), ("200", .fixed(200))])
    func readsPairsPerConnection(written: String, setting: PairsPerConnection) throws {
        let config = try ConfigLoader.parse(
            text: "kraken:\n  pairs_per_connection: \(written)\nmarkets: [BTC-USD]\n", fileName: "config.yaml",
            directory: "/tmp")
        #expect(config.kraken.pairsPerConnection == setting)
    }

    @Test(arguments: ["0", "201", "many", "-3"])
    func refusesABadPairsPerConnection(written: String) {
        #expect(throws: ConfigError.self) {
            try ConfigLoader.parse(
                text: "kraken:\n  pairs_per_connection: \(written)\nmarkets: [BTC-USD]\n", fileName: "config.yaml",
                directory: "/tmp")
        }
    }

    @Test func allMarketsFiltersAndTheListOverrides() throws {
        let yaml = """
            defaults:
              depth: 10
            all_markets:
              quote: [USD, EUR]
              exclude: [USDT-USD]
            markets:
              - pair: ETH2.S-ETH
                depth: 100
                levels: 10
              - pair: BTC-USD
                depth: 500
                levels: 5
            """
        let config = try ConfigLoader.parse(text: yaml, fileName: "config.yaml", directory: "/tmp")
        let online = try Self.onlinePairs()
        let recorded = config.recordedMarkets(online: online)
        let byPair = Dictionary(recorded.map { ($0.pair, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byPair.count == recorded.count)
        #expect(byPair[try #require(MarketPair(parsing: "ETH2.S-ETH"))]?.depth == 100)
        #expect(byPair[try #require(MarketPair(parsing: "BTC-USD"))]?.depth == 500)
        #expect(byPair[try #require(MarketPair(parsing: "USDT-USD"))] == nil)
        let viaFilter = recorded.dropFirst(2)
        #expect(viaFilter.allSatisfy { ["USD", "EUR"].contains($0.pair.quote) && $0.depth == 10 })
        let expected = online.filter { ["USD", "EUR"].contains($0.quote) && $0.name != "USDT-USD" && $0.name != "BTC-USD" }
        #expect(viaFilter.count == expected.count)
    }

    @Test func allMarketsAloneNeedsNoMarketsList() throws {
        let config = try ConfigLoader.parse(text: "all_markets:\n", fileName: "config.yaml", directory: "/tmp")
        #expect(config.markets.isEmpty)
        let online = try Self.onlinePairs()
        #expect(config.recordedMarkets(online: online).count == online.count)
        #expect(throws: ConfigError.self) {
            try ConfigLoader.parse(text: "data_dir: d\n", fileName: "config.yaml", directory: "/tmp")
        }
    }

    @Test func checkPrintsTheGrouping() throws {
        let names = try Self.onlinePairs().prefix(30).map(\.name)
        let yaml = "markets:\n" + names.map { "  - \($0)\n" }.joined()
        let report = try ConfigLoader.parse(text: yaml, fileName: "config.yaml", directory: "/tmp")
            .effectiveSettingsReport
        #expect(report.contains("kraken.pairs_per_connection: auto"))
        let groups = MarketGrouping.groups(for: names.compactMap { MarketPair(parsing: $0) }, setting: .auto)
        #expect(report.contains("\(groups.count) collectors (connections) for 30 markets:"))
        for group in groups {
            #expect(report.contains("  \(group.name) (\(group.pairs.count)): "))
        }
        let small = try ConfigLoader.parse(text: "markets: [BTC-USD, ETH-USD]\n", fileName: "config.yaml", directory: "/tmp")
        #expect(!small.effectiveSettingsReport.contains("collectors (connections)"))
    }
}

/// A small seeded generator (SplitMix64) so random sets repeat from run to run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var value = state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }
}

/// The run folder's config copy keeps the grouping, `all_markets` and the defaults it needs.
@Suite struct ConfigSnapshotGroupingTests {
    @Test(arguments: [
        "kraken:\n  pairs_per_connection: 7\ndefaults:\n  depth: 10\nall_markets:\n  quote: [USD]\n  exclude: [USDT-USD]\n",
        "all_markets:\ndefaults:\n  mode: interval\n  interval: 250ms\nmarkets: [ETH2.S-ETH]\n",
    ])
    func readsBackToTheSameSettings(yaml: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snapshot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try ConfigLoader.parse(text: yaml, fileName: "config.yaml", directory: folder.path)
        let path = folder.appendingPathComponent("copy.yaml").path
        #expect(try ConfigSnapshot.write(original, to: path))
        let copy = try ConfigLoader.load(path: path)
        #expect(copy.kraken.pairsPerConnection == original.kraken.pairsPerConnection)
        #expect(copy.allMarkets == original.allMarkets)
        #expect(copy.defaultMarket == original.defaultMarket)
        #expect(copy.markets == original.markets)
    }
}
