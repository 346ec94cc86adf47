import BytebitCore
import Foundation
import Testing

/// `bytebit run` with markets sharing connections and with `all_markets`, the real collectors
/// against a local `kraken-sim` (its built-in pairs: BTC/USD, ETH/USD, ETH/BTC, BTC/JPY, ARB/USD).
@Suite(.serialized) struct SupervisorGroupedRunTests {
    typealias SimulatedRun = SupervisorCollectorTests.SimulatedRun

    static func writeConfig(_ run: SimulatedRun, _ body: String) throws {
        let text = "kraken:\n  url: \(run.simulator.url)\n" + body + "flush_interval: 100ms\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: run.harness.configPath))
    }

    /// Waits until every one of `markets` has a `snapshot` row in its events file.
    static func waitForSnapshots(_ run: SimulatedRun, _ markets: [String]) throws {
        try waitUntil("a snapshot row for each of \(markets)", seconds: 60) {
            markets.allSatisfy { run.events($0).contains("snapshot") }
        }
    }

    @Test func pairsPerConnectionTwoRunsOneCollectorPerGroupAndStatusNamesThem() throws {
        let markets = ["ARB-USD", "BTC-JPY", "BTC-USD", "ETH-BTC", "ETH-USD"]
        let run = try SimulatedRun("sup-grouped", markets: [])
        defer { run.simulator.stop() }
        try Self.writeConfig(run, "  pairs_per_connection: 2\nmarkets:\n" + markets.map { "  - \($0)\n" }.joined())
        let groups = MarketGrouping.groups(for: markets.compactMap { MarketPair(parsing: $0) }, setting: .fixed(2))
        #expect(groups.contains { $0.pairs.count == 2 }, "the test needs a real group")
        #expect(groups.allSatisfy { $0.name.hasPrefix("group-") }, "above one per connection, groups are named")
        try run.start()
        try Self.waitForSnapshots(run, markets)
        for group in groups {
            #expect(!run.harness.logLines(containing: "collector started", "collector=\(group.name)").isEmpty)
        }
        // One collector (pid) per group; a group's markets share it.
        var pids: [String: Int32] = [:]
        try waitUntil("every market running") {
            pids = [:]
            for market in markets { if let pid = run.harness.pid(market) { pids[market] = pid } }
            return pids.count == markets.count
        }
        #expect(Set(pids.values).count == groups.count)
        for group in groups {
            #expect(Set(group.pairs.compactMap { pids[$0.name] }).count == 1, "\(group)")
        }
        // Each collector writes one status file for its markets; `bytebit status` shows every market from it.
        var rows: [[String]] = []
        try waitUntil("bytebit status shows every market live, with its rows", seconds: 30) {
            let status = try run.harness.status()
            #expect(status.code == 0)
            #expect(status.output.contains("5 markets on \(groups.count) collectors"))
            rows = status.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            return markets.allSatisfy { market in rows.first { $0.first == market }?.contains("live") == true }
        }
        for group in groups {
            if group.pairs.count > 1 {
                let file = run.harness.runDirectory.collectorsDirectory + "/\(group.name).json"
                let statuses = try CollectorStatusFile.read(from: file)
                #expect(statuses.map(\.market) == group.pairs.map(\.name), "one file for the group's markets")
                for pair in group.pairs {
                    let own = run.harness.runDirectory.marketsDirectory + "/\(pair.name).json"
                    #expect(!FileManager.default.fileExists(atPath: own), "no file of its own for \(pair.name)")
                }
            }
            for pair in group.pairs {
                let row = rows.first { $0.first == pair.name }
                #expect(row?.contains(group.name) == true, "\(pair) row \(row ?? [])")
                #expect(row?.contains("\(pids[pair.name] ?? 0)") == true)
            }
        }
        // Only the asked markets' rows (XBT-USD read as BTC-USD), the summary still the whole run's.
        let asked = try run.harness.status(["XBT-USD", "NOPE-USD"])
        let askedRows = asked.output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(askedRows.filter { markets.contains($0) } == ["BTC-USD"], "\(asked.output)")
        #expect(asked.output.contains("5 markets on \(groups.count) collectors"))
        #expect(asked.output.contains("not recorded by this run: NOPE-USD"))
        #expect(try run.harness.status(["btc-usd"]).code == 64)
        run.harness.supervisor?.signal(SIGTERM)
        #expect(try run.harness.waitForSupervisorExit() == 0)
    }

    @Test func allMarketsWithAQuoteRecordsEveryAdmittedOnlinePair() throws {
        let run = try SimulatedRun("sup-all-markets", markets: [])
        defer { run.simulator.stop() }
        // BTC-USD is also a `markets` entry with its own depth: it starts once, in its group with the
        // listed pairs (not alone first, then again when the list regroups it).
        try Self.writeConfig(
            run, "  pairs_per_connection: 2\nall_markets:\n  quote: [USD]\nmarkets:\n  - pair: BTC-USD\n    depth: 25\n")
        try run.start()
        let admitted = ["ARB-USD", "BTC-USD", "ETH-USD"]
        try Self.waitForSnapshots(run, admitted)
        try waitUntil("the supervisor's state lists the admitted pairs") {
            run.harness.state()?.markets.map(\.market).sorted() == admitted
        }
        #expect(run.events("BTC-USD").filter { $0 == "started" }.count == 1, "\(run.events("BTC-USD"))")
        #expect(!run.events("BTC-USD").contains("stopped"), "\(run.events("BTC-USD"))")
        for other in ["BTC-JPY", "ETH-BTC"] { #expect(run.events(other).isEmpty, "\(other) is not quoted in USD") }
        #expect(!run.harness.logLines(containing: "online pairs changed").isEmpty)
        run.harness.supervisor?.signal(SIGTERM)
        #expect(try run.harness.waitForSupervisorExit() == 0)
    }

    @Test func aReloadAddingOneMarketRestartsNoOtherCollector() throws {
        let before = ["ARB-USD", "BTC-USD", "ETH-USD"]
        let after = before + ["ETH-BTC"]
        let run = try SimulatedRun("sup-grouped-reload", markets: [])
        defer { run.simulator.stop() }
        func config(_ markets: [String]) throws {
            try Self.writeConfig(run, "  pairs_per_connection: 2\nmarkets:\n" + markets.map { "  - \($0)\n" }.joined())
        }
        func groups(_ markets: [String]) -> [MarketGroup] {
            MarketGrouping.groups(for: markets.compactMap { MarketPair(parsing: $0) }, setting: .fixed(2))
        }
        let added = try #require(MarketPair(parsing: "ETH-BTC"))
        let carrier = try #require(groups(after).first { $0.pairs.contains(added) })
        let untouched = groups(before).filter { $0.name != carrier.name }
        #expect(!untouched.isEmpty && untouched.allSatisfy { groups(after).contains($0) }, "other groups, unchanged")
        try config(before)
        try run.start()
        try Self.waitForSnapshots(run, before)
        let pids = try run.harness.waitUntilRunning(before)
        try config(after)
        run.harness.supervisor?.signal(SIGHUP)
        try Self.waitForSnapshots(run, after)
        try run.harness.waitUntilRunning(after)
        for group in untouched {
            for pair in group.pairs {
                #expect(run.harness.pid(pair.name) == pids[pair.name], "\(pair.name) was not restarted")
            }
        }
        #expect(!run.harness.logLines(containing: "configuration reloaded").isEmpty)
        run.harness.supervisor?.signal(SIGTERM)
        #expect(try run.harness.waitForSupervisorExit() == 0)
    }
}
