import BytebitCollector
import BytebitCore
import BytebitTestSupport
import Foundation
import Testing

/// Idle costs nothing (issue 10 item 5): the recorder asks for a tick only when something is due.
@Suite struct RecorderWakeUpTests {
    @Test func aQuietLiveMarketAsksForNoTickForSecondsButRecordedRowsAreHandedOverWithin100ms() throws {
        let harness = try RecorderHarness()
        var book = RecorderBookRulesTests.ethBTCBook()
        let snapshot = book.snapshot(bids: RecorderBookRulesTests.bids, asks: RecorderBookRulesTests.asks)
        let steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8)
            + [.advance(microseconds: 200_000)] + RecorderHarness.quiet(seconds: 3)
            + [.frame(book.update(bids: [("0.031344", "1.00000000")]))]
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(run.books.count == 2)
        let asked = run.askedWakeUps
        let liveFrames = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8).count
        // After the snapshot row and after the update row: the hand-over is due within 100 ms.
        let afterRows = [asked[liveFrames - 1], asked[asked.count - 1]]
        #expect(afterRows.allSatisfy { ($0 ?? .max) <= 100_000 })
        // The heartbeats in between change nothing: the next tick is the feed's own timer, seconds away.
        let quiet = asked[liveFrames..<(asked.count - 1)]
        #expect(quiet.count == 3)
        #expect(quiet.allSatisfy { ($0 ?? .max) >= 1_000_000 }, "\(Array(quiet))")
    }

    @Test func aQuietMarketStillRewritesItsStatusFileWithinFiveSeconds() throws {
        let harness = try RecorderHarness()
        harness.statusFile = harness.dataDirectory + "/status.json"
        var book = RecorderBookRulesTests.ethBTCBook()
        let snapshot = book.snapshot(bids: RecorderBookRulesTests.bids, asks: RecorderBookRulesTests.asks)
        let steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8)
            + [.advance(microseconds: 1_200_000)] + RecorderHarness.quiet(seconds: 3)
        let run = try harness.run([ScriptedConnection(steps)])
        let quiet = run.askedWakeUps.suffix(3)
        // Nothing recorded: the heartbeat write every 5 s, not every second.
        #expect(quiet.allSatisfy { ($0 ?? .max) <= 5_000_000 && ($0 ?? 0) > 1_000_000 }, "\(Array(quiet))")
        #expect(FileManager.default.fileExists(atPath: harness.dataDirectory + "/status.json"))
    }
}

/// A group asks a part for its next wake-up again only after handing it something: a row on one
/// pair must still bring the group's hand-over within 100 ms, and a quiet group sleeps for seconds.
@Suite struct GroupWakeUpTests {
    /// A scripted book per pair of the group (depth 10, ETH-BTC's precisions).
    static func books(of harness: GroupRecorderHarness) -> [ScriptedBook] {
        harness.symbols.map { ScriptedBook(symbol: $0, depth: 10, pricePrecision: 6, qtyPrecision: 8) }
    }

    /// The frames that bring the group live with a snapshot of each of `books`.
    static func frames(bringingLive harness: GroupRecorderHarness, with books: inout [ScriptedBook]) -> [ScriptStep] {
        let snapshots = books.indices.map {
            books[$0].snapshot(bids: RecorderBookRulesTests.bids, asks: RecorderBookRulesTests.asks)
        }
        return harness.frames(toLiveWith: snapshots)
    }

    @Test func aRowOnOnePairBringsTheHandOverWithin100msAndAQuietGroupSleeps() throws {
        let harness = try GroupRecorderHarness(pairs: ["ETH-BTC", "LTC-BTC"])
        var books = Self.books(of: harness)
        let live = Self.frames(bringingLive: harness, with: &books)
        var steps = live + [.advance(microseconds: 200_000)]
        for index in [1, 0, 1] {
            steps += [.frame(KrakenFrameText.heartbeat), .frame(books[index].update(bids: [("0.031344", "1.00000000")]))]
            steps += [.advance(microseconds: 200_000)]
        }
        steps += [.frame(KrakenFrameText.heartbeat)]
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(run.books(harness.symbols[0]).count == 2 && run.books(harness.symbols[1]).count == 3)
        let asked = Array(run.askedWakeUps.dropFirst(live.count))
        #expect(asked.count == 7)
        // Heartbeats (every pair's, nothing to hand over): seconds away. Each update: within 100 ms.
        let quiet = stride(from: 0, to: asked.count, by: 2).map { asked[$0] }
        let afterRows = stride(from: 1, to: asked.count, by: 2).map { asked[$0] }
        #expect(quiet.allSatisfy { ($0 ?? .max) >= 1_000_000 }, "\(quiet)")
        #expect(afterRows.allSatisfy { ($0 ?? .max) <= 100_000 }, "\(afterRows)")
    }

    /// With the files its only sink (no Redis, no live feed), a group hands rows over within 500 ms:
    /// the writer writes once per `flush_interval` anyway, and each hand-over is a wake-up.
    @Test func aGroupWhoseFilesAreItsOnlySinkHandsOverWithinHalfASecond() throws {
        let harness = try GroupRecorderHarness(pairs: ["ETH-BTC", "LTC-BTC"])
        harness.recordsToMemory = false
        var books = Self.books(of: harness)
        let live = Self.frames(bringingLive: harness, with: &books)
        let steps = live + [.advance(microseconds: 600_000), .frame(books[0].update(bids: [("0.031344", "1.00000000")]))]
            + [.advance(microseconds: 600_000), .settleFiles]
        let run = try harness.run([ScriptedConnection(steps)])
        let afterRow = try #require(run.askedWakeUps.last ?? nil)
        #expect(afterRow > 100_000 && afterRow <= 500_000, "\(afterRow)")
        let rows = try String(
            contentsOfFile: harness.dataDirectory + "/ETH-BTC/orderbook/orderbook_data_2026-08-26.csv", encoding: .utf8)
        #expect(rows.split(separator: "\n").count == 3, "header, snapshot row, update row")
    }

    /// Awake for a frame anyway, a group hands over the rows that have waited half their delay
    /// (250 ms of the files' 500): a group that hears a frame every few hundred ms then never wakes
    /// for a hand-over alone. Rows younger than that wait for a later frame or the deadline.
    @Test func aFrameHandsOverRowsThatWaitedHalfTheirDelay() throws {
        let harness = try GroupRecorderHarness(pairs: ["ETH-BTC", "LTC-BTC"])
        harness.recordsToMemory = false
        var books = Self.books(of: harness)
        let live = Self.frames(bringingLive: harness, with: &books)
        let steps = live + [
            .advance(microseconds: 600_000), .frame(books[1].update(bids: [("0.031344", "1.00000000")])),
            .advance(microseconds: 100_000), .frame(KrakenFrameText.heartbeat),
            .advance(microseconds: 200_000), .frame(KrakenFrameText.heartbeat),
        ]
        let run = try harness.run([ScriptedConnection(steps)])
        let asked = Array(run.askedWakeUps.suffix(3))
        #expect(asked.count == 3)
        #expect((asked[0] ?? .max) <= 500_000, "the row's hand-over is due: \(asked)")
        #expect((asked[1] ?? .max) <= 400_000, "~100 ms old: not handed over yet: \(asked)")
        #expect((asked[2] ?? .max) >= 1_000_000, "~300 ms old: handed over at the frame: \(asked)")
    }

    /// A group's connection reads each message when it comes: at ~20 messages/s over many pairs, the
    /// coalescing delay only added a sleep and a second `poll` per message. A market alone keeps it.
    @Test func aGroupsConnectionDoesNotWaitToCoalesceMessages() throws {
        let harness = try GroupRecorderHarness(pairs: ["ETH-BTC"])
        let config = BytebitConfig(
            dataDirectory: harness.dataDirectory, logDirectory: harness.dataDirectory + "/logs", markets: harness.markets)
        var settings = RecorderSettings(config: config, market: harness.markets[0], policy: FeedPolicy())
        #expect(try settings.clientConfiguration().coalescingDelay > .zero)
        settings.sharesConnection = true
        #expect(try settings.clientConfiguration().coalescingDelay == .zero)
    }
}
