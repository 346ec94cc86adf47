import BytebitCore
import Foundation
import Testing

/// Each fault the simulator can inject: the collector recovers, the ledger shows the gap, no row
/// inside the gap exists, and every row that exists equals what was really sent.
@Suite struct CollectorFaultTests {
    struct Fault: Sendable, CustomStringConvertible {
        let name: String
        let simulatorArguments: [String]
        let collectorArguments: [String]
        /// Ledger events any of which shows the gap opening.
        let gapEvents: Set<String>
        var description: String { name }
    }

    @Test(arguments: [
        Fault(name: "drop", simulatorArguments: ["--drop-after", "150"], collectorArguments: [],
              gapEvents: ["disconnected"]),
        Fault(name: "silence", simulatorArguments: ["--silence", "150:6"], collectorArguments: ["--stale-after", "2s"],
              gapEvents: ["stale"]),
        Fault(name: "wrong checksum", simulatorArguments: ["--wrong-checksum", "100"], collectorArguments: [],
              gapEvents: ["checksum_mismatch"]),
        Fault(name: "truncated frame", simulatorArguments: ["--truncate", "120", "--fault-connections", "every"],
              collectorArguments: [], gapEvents: ["malformed_frame", "checksum_mismatch", "trade_gap"]),
        Fault(name: "maintenance", simulatorArguments: ["--maintenance", "150:2"], collectorArguments: [],
              gapEvents: ["maintenance"]),
    ])
    func collectorRecoversAndTheLedgerShowsTheGap(fault: Fault) throws {
        let directory = try makeTemporaryDirectory("fault")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "200"] + fault.simulatorArguments)
        let config = try writeConfig(
            in: directory, url: simulator.url, defaults: "  depth: 10\n  levels: 10", markets: "  - BTC-USD")
        let collector = try CollectorProcess(
            config: config, pair: "BTC-USD", in: directory, extraArguments: fault.collectorArguments)

        try waitUntil("\(fault.name): the gap event", seconds: 30, pollEvery: 0.1) {
            try collector.market.events().contains { fault.gapEvents.contains($0.name) }
        }
        if fault.gapEvents.contains("trade_gap") {
            // A lost trade frame alone leaves no book gap; a malformed frame while the book is live
            // (it may have been a book message) or a mismatch must lead to a fresh snapshot.
            let events = try collector.market.events().map(\.name)
            if events.contains("checksum_mismatch") || events.contains("malformed_frame") {
                try collector.waitForEvent("snapshot", count: 2)
            }
        } else {
            try collector.waitForEvent("snapshot", count: 2)
        }
        let rowsAfterRecovery = collector.market.count("orderbook") + 100
        try collector.waitForRows(orderbook: rowsAfterRecovery)
        #expect(try collector.stop() == 0)
        simulator.stop()

        let rows = try collector.market.rows("orderbook")
        let truth = try simulator.bookTruth()
        try RecordingChecks.orderBookRowsMatchTruth(rows, truth: truth, symbol: "BTC/USD", depth: 10, levels: 10)
        try RecordingChecks.tradesMatchTruth(try collector.market.rows("trades"), truth: try simulator.tradeTruth())

        let events = try collector.market.events()
        let gaps = try LedgerGaps(events: events)
        #expect(!gaps.windows.isEmpty, "no gap in the ledger: \(events.map(\.name))")
        for row in rows {
            let receivedAt = try #require(UTCTimestamp(row[1]))
            #expect(!gaps.contains(receivedAt), "row received at \(row[1]) lies inside a gap")
        }
        let missing = RecordingChecks.missingStates(
            rows: rows, truth: truth, symbol: "BTC/USD", depth: 10, from: rows[0][0], to: rows[rows.count - 1][0])
        for timestamp in missing {
            let sentAt = try #require(UTCTimestamp(timestamp))
            #expect(gaps.contains(sentAt, slackBefore: 500_000), "message of \(timestamp) missing outside any gap")
        }
        passed = true
    }

    @Test func aPairKrakenRejectsExits78AndIsNotRetried() throws {
        let directory = try makeTemporaryDirectory("rejected")
        defer { try? FileManager.default.removeItem(at: directory) }
        let simulator = try SimulatorProcess(in: directory, arguments: ["--reject-pair", "BTC/USD"])
        let config = try writeConfig(in: directory, url: simulator.url, markets: "  - BTC-USD")
        let collector = try CollectorProcess(config: config, pair: "BTC-USD", in: directory)
        #expect(try collector.child.waitForExit(seconds: 30) == 78)
        let events = try collector.market.events()
        let rejected = try #require(events.first { $0.name == "rejected" })
        #expect(rejected.detail.contains("Currency pair not supported BTC/USD"))
        #expect(events.filter { $0.name == "connected" }.count == 1, "the collector retried a rejected pair")
        #expect(events.last?.name == "stopped")
        #expect(collector.market.count("orderbook") == 0)
    }
}

/// The periods in which the ledger says the book file has no trustworthy rows: from a
/// `checksum_mismatch`, `disconnected`, `stale`, `maintenance`, `stopped` or (not as the first row)
/// `started` row to the next `snapshot`.
struct LedgerGaps {
    var windows: [(start: Int64, end: Int64)] = []

    init(events: [(time: String, name: String, detail: String)]) throws {
        // The one list of gap-opening names (`malformed_frame` among them); `started` only after earlier rows.
        let opening = LedgerEvent.gapOpeningNames
        var openedAt: Int64?
        for (index, event) in events.enumerated() {
            let time = try #require(UTCTimestamp(event.time)).microseconds
            let opens = opening.contains(event.name) && (event.name != "started" || index > 0)
            if opens, openedAt == nil { openedAt = time }
            if event.name == "snapshot", let start = openedAt {
                windows.append((start, time))
                openedAt = nil
            }
        }
        if let openedAt { windows.append((openedAt, .max)) }
    }

    func contains(_ instant: UTCTimestamp, slackBefore: Int64 = 0) -> Bool {
        windows.contains { instant.microseconds >= $0.start - slackBefore && instant.microseconds < $0.end }
    }
}
