import BytebitCollector
import BytebitCore
import BytebitTestSupport
import Foundation
import Testing

/// A group's one status file (`CollectorGroupStatus`): every market's status in the group's order,
/// rewritten within a second of an event and otherwise every 10 s, however many rows come in.
@Suite struct GroupStatusFileTests {
    static let bids = RecorderBookRulesTests.bids
    static let asks = RecorderBookRulesTests.asks

    /// The group's statuses as the file holds them now (empty when there is none).
    static func read(_ path: String) -> [CollectorStatus] {
        (try? CollectorStatusFile.read(from: path)) ?? []
    }

    @Test func oneFileHoldsEveryMarketAndIsRewrittenOnEventsNotOnRows() throws {
        let harness = try GroupRecorderHarness(pairs: ["ETH-BTC", "LTC-BTC"])
        let path = harness.dataDirectory + "/group.json"
        harness.statusFile = path
        var books = harness.symbols.map { ScriptedBook(symbol: $0, depth: 10, pricePrecision: 6, qtyPrecision: 8) }
        let snapshots = books.indices.map { books[$0].snapshot(bids: Self.bids, asks: Self.asks) }
        nonisolated(unsafe) var looks: [String: [CollectorStatus]] = [:]
        nonisolated(unsafe) var mismatchAt: UTCTimestamp?
        let clock = harness.clock
        func look(_ name: String) -> ScriptStep { .perform { looks[name] = Self.read(path) } }
        /// Rows only: a book update per pair every 100 ms for `seconds`.
        func rows(seconds: Int) -> [ScriptStep] {
            (0..<(seconds * 10)).flatMap { index -> [ScriptStep] in
                let qty = String(format: "%d.00000000", 1 + index % 7)
                return [.advance(microseconds: 100_000)]
                    + books.indices.map { .frame(books[$0].update(bids: [("0.031344", qty)])) }
            }
        }
        var steps = harness.frames(toLiveWith: snapshots) + [.advance(microseconds: 1_100_000), look("live")]
        steps += rows(seconds: 5) + [look("rows for 5 s"), .settleFiles]
        steps += rows(seconds: 6) + [look("rows for 11 s")]
        steps += [.perform { mismatchAt = clock.now() }, .frame(books[1].update(bids: [("0.031344", "9.00000000")], corruptChecksum: true))]
        steps += [.advance(microseconds: 1_100_000), look("after a checksum mismatch")]
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(run.eventNames(harness.symbols[1]).contains("checksum_mismatch"))

        let live = try #require(looks["live"])
        #expect(live.map(\.market) == ["ETH-BTC", "LTC-BTC"], "every market, in the group's order")
        #expect(live.allSatisfy { $0.state == "live" && $0.pid == getpid() })
        let written = try #require(live.first?.updatedAt)
        // Rows alone do not rewrite it for 10 s; then the heartbeat does, with the new counts.
        let afterFive = try #require(looks["rows for 5 s"])
        #expect(afterFive.first?.updatedAt == written)
        let afterEleven = try #require(looks["rows for 11 s"])
        let heartbeat = try #require(afterEleven.first?.updatedAt)
        #expect(heartbeat.microseconds - written.microseconds >= 10_000_000)
        #expect(heartbeat.microseconds - written.microseconds < 10_200_000)
        #expect((afterEleven.first?.rowsToday.orderbook ?? 0) > (live.first?.rowsToday.orderbook ?? 0))
        // An event is in the file within a second.
        let afterEvent = try #require(looks["after a checksum mismatch"])
        let eventWrite = try #require(afterEvent.first?.updatedAt)
        let eventAt = try #require(mismatchAt)
        #expect(eventWrite > eventAt && eventWrite.microseconds - eventAt.microseconds <= 1_100_000)
        #expect(afterEvent.map(\.checksumFailures) == [0, 1])
        // The last write says every market stopped.
        #expect(Self.read(path).map(\.state) == ["stopped", "stopped"])
    }
}
