import BytebitCore
import Foundation
import Testing

/// The built `collector` carrying three markets on one connection to the built `kraken-sim`.
@Suite struct CollectorGroupTests {
    static let markets = [("BTC-USD", "BTC/USD"), ("ETH-USD", "ETH/USD"), ("ETH-BTC", "ETH/BTC")]

    struct Group {
        let child: ChildProcess
        let recorded: [RecordedMarket]
        /// The group's one status file.
        let statusFile: URL

        init(config: URL, in directory: URL) throws {
            statusFile = directory.appendingPathComponent("group.json")
            child = try ChildProcess(
                "collector",
                arguments: ["--config", config.path] + CollectorGroupTests.markets.flatMap { ["--market", $0.0] }
                    + ["--status-file", statusFile.path],
                logDirectory: directory)
            let data = directory.appendingPathComponent("data")
            recorded = CollectorGroupTests.markets.map { RecordedMarket(dataDirectory: data, pair: $0.0) }
        }

        func waitForRows(_ rows: Int) throws {
            try waitUntil("every pair of the group: \(rows) order book rows", seconds: 40, pollEvery: 0.1) {
                guard child.isRunning else { throw RecordingProblem("collector exited early: \(child.stderr.suffix(2000))") }
                return recorded.allSatisfy { $0.count("orderbook") >= rows }
            }
        }
    }

    @Test func threePairsOnOneConnectionRecordWhatTheSimulatorSent() throws {
        let directory = try makeTemporaryDirectory("group")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "100"])
        let config = try writeConfig(
            in: directory, url: simulator.url, markets: Self.markets.map { "  - \($0.0)" }.joined(separator: "\n"))
        let group = try Group(config: config, in: directory)
        try group.waitForRows(150)
        // One status file for the group: every market's status, in the group's order, this process's.
        let statuses = try CollectorStatusFile.read(from: group.statusFile.path)
        #expect(statuses.map(\.market) == Self.markets.map(\.0))
        #expect(statuses.allSatisfy { $0.pid == group.child.process.processIdentifier })
        group.child.signal(SIGTERM)
        #expect(try group.child.waitForExit(seconds: 20) == 0)
        simulator.stop()

        let truth = try simulator.bookTruth()
        let tradeTruth = try simulator.tradeTruth()
        for (index, (pair, symbol)) in Self.markets.enumerated() {
            let market = group.recorded[index]
            let rows = try market.rows("orderbook")
            try RecordingChecks.orderBookRowsMatchTruth(rows, truth: truth, symbol: symbol, depth: 10, levels: 10)
            let first = try #require(rows.first?[0])
            let last = try #require(rows.last?[0])
            let missing = RecordingChecks.missingStates(
                rows: rows, truth: truth, symbol: symbol, depth: 10, from: first, to: last)
            #expect(missing.isEmpty, "\(pair): book messages sent but not recorded: \(missing.prefix(5))")
            try RecordingChecks.tradesMatchTruth(try market.rows("trades"), truth: tradeTruth)
            let events = try market.events().map(\.name)
            #expect(events.filter { $0 == "connected" }.count == 1, "\(pair): \(events)")
            #expect(events.contains("snapshot"))
            #expect(!events.contains("checksum_mismatch"))
            #expect(events.last == "stopped")
        }
        passed = true
    }

    @Test func onePairsChecksumFaultIsAGapInItsLedgerOnly() throws {
        let directory = try makeTemporaryDirectory("group-checksum")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "100", "--wrong-checksum", "60"])
        let config = try writeConfig(
            in: directory, url: simulator.url, markets: Self.markets.map { "  - \($0.0)" }.joined(separator: "\n"))
        let group = try Group(config: config, in: directory)
        try waitUntil("a checksum mismatch in one pair's ledger, then its fresh snapshot", seconds: 40, pollEvery: 0.1) {
            group.recorded.contains { market in
                let names = ((try? market.events()) ?? []).map(\.name)
                return names.contains("checksum_mismatch") && names.filter { $0 == "snapshot" }.count >= 2
            }
        }
        try group.waitForRows(200)
        group.child.signal(SIGTERM)
        #expect(try group.child.waitForExit(seconds: 20) == 0)
        simulator.stop()

        let truth = try simulator.bookTruth()
        var faulted: [String] = []
        for (index, (pair, symbol)) in Self.markets.enumerated() {
            let market = group.recorded[index]
            try RecordingChecks.orderBookRowsMatchTruth(
                try market.rows("orderbook"), truth: truth, symbol: symbol, depth: 10, levels: 10)
            let events = try market.events().map(\.name)
            #expect(!events.contains("disconnected"), "\(pair): the shared connection was dropped: \(events)")
            if events.contains("checksum_mismatch") {
                faulted.append(pair)
                #expect(events.contains("resync"))
            } else {
                #expect(!events.contains("resync"), "\(pair) resynced for another pair's fault")
                #expect(events.filter { $0 == "snapshot" }.count == 1)
            }
        }
        #expect(faulted.count == 1, "pairs with a mismatch: \(faulted)")
        passed = true
    }

    @Test func aRejectedPairIsHeldWhileTheOtherTwoRecord() throws {
        let directory = try makeTemporaryDirectory("group-reject")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let simulator = try SimulatorProcess(
            in: directory, arguments: ["--rate", "100", "--reject-pair", "ETH/BTC", "--fault-connections", "every"])
        let config = try writeConfig(
            in: directory, url: simulator.url, markets: Self.markets.map { "  - \($0.0)" }.joined(separator: "\n"))
        let group = try Group(config: config, in: directory)
        try waitUntil("BTC-USD and ETH-USD record while ETH-BTC is refused", seconds: 40, pollEvery: 0.1) {
            guard group.child.isRunning else { throw RecordingProblem("collector exited: \(group.child.stderr.suffix(2000))") }
            let refused = ((try? group.recorded[2].events()) ?? []).contains { $0.name == "rejected" }
            return refused && group.recorded.prefix(2).allSatisfy { $0.count("orderbook") >= 100 }
        }
        group.child.signal(SIGTERM)
        #expect(try group.child.waitForExit(seconds: 20) == 0)
        simulator.stop()
        #expect(group.recorded[2].count("orderbook") == 0)
        for market in group.recorded.prefix(2) {
            let events = try market.events().map(\.name)
            #expect(!events.contains("rejected") && !events.contains("disconnected"), "\(events)")
        }
        passed = true
    }

    /// One market at another depth (a `markets` entry's own settings): the simulator, as Kraken,
    /// refuses a second `instrument` subscribe on a connection, so the group must send one.
    @Test func aPairAtAnotherDepthSharesTheConnectionWithoutRefusals() throws {
        let directory = try makeTemporaryDirectory("group-depths")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "100"])
        let config = try writeConfig(
            in: directory, url: simulator.url, markets: "  - BTC-USD\n  - pair: ETH-USD\n    depth: 25\n  - ETH-BTC")
        let group = try Group(config: config, in: directory)
        try group.waitForRows(50)
        group.child.signal(SIGTERM)
        #expect(try group.child.waitForExit(seconds: 20) == 0)
        simulator.stop()
        for market in group.recorded {
            let events = try market.events()
            #expect(!events.contains { ["rejected", "resync"].contains($0.name) }, "\(events)")
            #expect(events.filter { $0.name == "subscribed" && $0.detail.hasPrefix("book ") }.count == 1, "\(events)")
        }
        #expect(try group.recorded[1].events().contains { $0.name == "subscribed" && $0.detail == "book ETH/USD depth 25" })
        passed = true
    }

    @Test func aDroppedConnectionIsAGapInEveryPairsLedger() throws {
        let directory = try makeTemporaryDirectory("group-blip")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "100", "--drop-after", "150"])
        let config = try writeConfig(
            in: directory, url: simulator.url, markets: Self.markets.map { "  - \($0.0)" }.joined(separator: "\n"))
        let group = try Group(config: config, in: directory)
        try waitUntil("every pair: disconnected, then its own second snapshot", seconds: 40, pollEvery: 0.1) {
            group.recorded.allSatisfy { market in
                let names = ((try? market.events()) ?? []).map(\.name)
                guard let gap = names.firstIndex(of: "disconnected") else { return false }
                return names[gap...].contains("snapshot")
            }
        }
        group.child.signal(SIGTERM)
        #expect(try group.child.waitForExit(seconds: 20) == 0)
        simulator.stop()
        let truth = try simulator.bookTruth()
        for (index, (_, symbol)) in Self.markets.enumerated() {
            try RecordingChecks.orderBookRowsMatchTruth(
                try group.recorded[index].rows("orderbook"), truth: truth, symbol: symbol, depth: 10, levels: 10)
        }
        passed = true
    }
}
