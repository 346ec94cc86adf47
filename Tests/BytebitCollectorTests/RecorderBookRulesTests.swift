import BytebitCore
import BytebitTestSupport
import Testing

/// The recorder's book rules, played through the scripted transport (no socket): which verified
/// books become rows, and which frames must never reach the book or the files.
@Suite struct RecorderBookRulesTests {
    static let bids = [("0.031348", "0.03740000"), ("0.031347", "2.87288049"), ("0.031345", "8.57986833")]
    static let asks = [("0.031357", "0.03740000"), ("0.031358", "2.87194815"), ("0.031361", "0.00767324")]

    static func ethBTCBook() -> ScriptedBook {
        ScriptedBook(symbol: "ETH/BTC", depth: 10, pricePrecision: 6, qtyPrecision: 8)
    }

    @Test func realKrakenSnapshotAndUpdateBecomeTwoRowsInTheFiles() throws {
        let harness = try RecorderHarness()
        let snapshot = try LiveFrameFixtures.raw("ethbtc_book_snapshot_depth10")
        let update = try LiveFrameFixtures.raw("ethbtc_book_update_depth10")
        let steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8) + [.frame(update)]
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(run.books.map(\.checksum) == [3_619_791_617, 2_505_869_009])
        let last = try #require(run.books.last)
        #expect(!last.bids.contains { $0.price.description == "0.031347" })
        #expect(last.bids.last?.price.description == "0.031329")
        let rows = try harness.fileLines(.orderBook).dropFirst()
        #expect(rows.count == 2)
        #expect(rows.last?.hasPrefix("2026-08-26T15:16:16.730423Z,") == true)
        #expect(run.eventNames.contains("snapshot"))
        #expect(run.eventNames.last == "stopped")
        #expect(run.exitCode == 0)
    }

    @Test func updatesBeforeTheSnapshotAreDroppedAndUpdatesAfterItApplied() throws {
        let harness = try RecorderHarness()
        var book = Self.ethBTCBook()
        // Kraken's view already had a book: this update is relative to levels the recorder never saw.
        _ = book.snapshot(bids: Self.bids, asks: Self.asks)
        let early = book.update(bids: [("0.031346", "1.00000000")])
        let snapshot = book.snapshot(bids: Self.bids, asks: Self.asks)
        let later = book.update(asks: [("0.031359", "3.00000000")])
        var steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8)
        steps.insert(.frame(early), at: steps.count - 1)
        steps.append(.frame(later))
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(!run.eventNames.contains("checksum_mismatch"))
        #expect(run.books.count == 2)
        #expect(run.books.last?.asks.map(\.price.description) == ["0.031357", "0.031358", "0.031359", "0.031361"])
        #expect(!(run.books.first?.bids.contains { $0.price.description == "0.031346" } ?? true))
    }

    @Test func aSnapshotForAnotherSymbolIsIgnored() throws {
        let harness = try RecorderHarness()
        var other = ScriptedBook(symbol: "BTC/USD", depth: 10, pricePrecision: 1, qtyPrecision: 8)
        let foreign = other.snapshot(bids: [("66732.4", "1.00000000")], asks: [("66732.5", "5.48256063")])
        var ours = Self.ethBTCBook()
        let snapshot = ours.snapshot(bids: Self.bids, asks: Self.asks)
        var steps = harness.frames(toLiveWith: foreign, pricePrecision: 6, qtyPrecision: 8)
        steps.append(.frame(snapshot))
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(run.books.count == 1)
        #expect(run.books.first?.bids.map(\.price.description) == Self.bids.map(\.0))
        #expect(run.eventNames.filter { $0 == "snapshot" }.count == 1)
    }

    @Test func aChecksumMismatchWritesNoRowAndResubscribes() throws {
        let harness = try RecorderHarness()
        var book = Self.ethBTCBook()
        let snapshot = book.snapshot(bids: Self.bids, asks: Self.asks)
        let good = book.update(bids: [("0.031344", "14.40276069")])
        let corrupt = book.update(asks: [("0.031362", "4.27140781")], corruptChecksum: true)
        let fresh = book.snapshot(bids: Self.bids, asks: Self.asks)
        let steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8) + [
            .frame(good), .frame(corrupt),
            .frame(KrakenFrameText.unsubscribed("book", symbol: harness.symbol, depth: 10)),
            .frame(KrakenFrameText.subscribed("book", symbol: harness.symbol, depth: 10)),
            .frame(fresh),
        ]
        let run = try harness.run([ScriptedConnection(steps)])
        // The snapshot, the good update, the fresh snapshot: never the book the corrupt message made.
        #expect(run.books.count == 3)
        #expect(!run.books.contains { $0.asks.contains { $0.price.description == "0.031362" } })
        #expect(run.eventNames.contains("checksum_mismatch"))
        #expect(run.sentRequests.contains { $0.contains("\"unsubscribe\"") && $0.contains("\"book\"") })
        #expect(run.sentRequests.filter { $0.contains("\"subscribe\"") && $0.contains("\"book\"") }.count == 2)
    }

    /// A lost update whose level the next update overwrites leaves a book that verifies again: the
    /// checksum never tells. The malformed frame itself must open the gap and resync the book.
    @Test func aTruncatedUpdateIsAGapEvenWhenTheNextUpdateHidesItsLoss() throws {
        let harness = try RecorderHarness()
        var book = Self.ethBTCBook()
        let snapshot = book.snapshot(bids: Self.bids, asks: Self.asks)
        let lost = book.update(bids: [("0.031346", "1.00000000")])
        let hiding = book.update(bids: [("0.031346", "2.00000000")])
        let fresh = book.snapshot(bids: Self.bids, asks: Self.asks)
        let steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8) + [
            .frame(String(lost.prefix(90))), .frame(hiding),
            .frame(KrakenFrameText.unsubscribed("book", symbol: harness.symbol, depth: 10)),
            .frame(KrakenFrameText.subscribed("book", symbol: harness.symbol, depth: 10)),
            .frame(fresh),
        ]
        let run = try harness.run([ScriptedConnection(steps)])
        // The snapshot and the fresh one: never the update that followed the lost message.
        #expect(run.books.count == 2)
        #expect(!run.books.contains { $0.bids.contains { $0.price.description == "0.031346" } })
        let malformed = try #require(run.events.first { $0.event == .malformedFrame })
        #expect(malformed.detail.contains("truncated"), "the detail says what was wrong: \(malformed.detail)")
        let names = run.eventNames
        let opened = try #require(names.firstIndex(of: "malformed_frame"))
        #expect(names[opened...].contains("resync"))
        #expect(names[opened...].contains("snapshot"), "the gap closes with the fresh snapshot: \(names)")
        #expect(!names.contains("checksum_mismatch"))
        #expect(run.sentRequests.filter { $0.contains("\"subscribe\"") && $0.contains("\"book\"") }.count == 2)
    }

    @Test func maintenanceIsAGapUntilOnlineAndAFreshSnapshot() throws {
        let harness = try RecorderHarness()
        var book = Self.ethBTCBook()
        let snapshot = book.snapshot(bids: Self.bids, asks: Self.asks)
        let beforeMaintenance = book.update(bids: [("0.031344", "1.00000000")])
        let duringMaintenance = [
            book.update(bids: [("0.031343", "2.00000000")]), book.update(asks: [("0.031360", "3.00000000")]),
        ]
        let afterOnline = book.update(bids: [("0.031342", "4.00000000")])
        let fresh = book.snapshot(bids: Self.bids, asks: Self.asks)
        let steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8) + [
            .frame(beforeMaintenance),
            .frame(KrakenFrameText.status("maintenance")),
        ] + duringMaintenance.map { ScriptStep.frame($0) } + [
            .frame(KrakenFrameText.status("online")),
            // In flight before the resync took hold: not applied, not written.
            .frame(afterOnline),
            .frame(KrakenFrameText.unsubscribed("book", symbol: harness.symbol, depth: 10)),
            .frame(KrakenFrameText.subscribed("book", symbol: harness.symbol, depth: 10)),
            .frame(fresh),
        ]
        let run = try harness.run([ScriptedConnection(steps)])
        let names = run.eventNames
        #expect(names.filter { $0 == "maintenance" }.count == 2)
        #expect(names.filter { $0 == "snapshot" }.count == 2)
        // Snapshot and one update before; the fresh snapshot after: nothing from the maintenance window.
        #expect(run.books.count == 3)
        let maintenanceStart = try #require(run.events.first { $0.event.name == "maintenance" }?.timestamp)
        let freshSnapshot = try #require(run.events.last { $0.event.name == "snapshot" }?.timestamp)
        #expect(!run.books.contains { $0.receivedAt > maintenanceStart && $0.receivedAt < freshSnapshot })
        #expect(run.books.last?.bids.map(\.price.description) == Self.bids.map(\.0))
    }

    @Test func theSubscriptionsAskForTheConfiguredDepth() throws {
        let harness = try RecorderHarness(depth: 25, levels: 10)
        var book = ScriptedBook(symbol: "ETH/BTC", depth: 25, pricePrecision: 6, qtyPrecision: 8)
        let snapshot = book.snapshot(bids: Self.bids, asks: Self.asks)
        let run = try harness.run([ScriptedConnection(harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8))])
        #expect(run.sentRequests.first?.contains("\"channel\":\"instrument\"") == true)
        #expect(run.sentRequests.contains { $0.contains("\"channel\":\"book\"") && $0.contains("\"depth\":25") })
        #expect(run.sentRequests.contains { $0.contains("\"channel\":\"trade\"") && $0.contains("\"symbol\":[\"ETH/BTC\"]") })
    }
}
