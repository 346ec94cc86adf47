import BytebitCore
import BytebitTestSupport
import Foundation
import Testing

/// The fan-out: every sink gets every record, and a stuck one holds up neither the files nor the recorder.
@Suite struct RecorderSinkTests {
    /// A sink that blocks on its first record until released: a database that stopped answering.
    final class StuckSink: RecordSink, @unchecked Sendable {
        let release = DispatchSemaphore(value: 0)
        let received = NSLock()
        private var count = 0
        var receivedCount: Int { received.withLock { count } }

        func record(book: VerifiedBookTop) { arrive() }
        func record(trade: TradeRecord) { arrive() }
        func record(event: LedgerRecord) { arrive() }
        func flush() {}
        func close() {}

        private func arrive() {
            let isFirst = received.withLock {
                count += 1
                return count == 1
            }
            if isFirst { release.wait() }
        }
    }

    @Test func aStuckSinkLosesItsOwnRecordsButTheFilesGetEveryRow() throws {
        let harness = try RecorderHarness()
        var book = RecorderBookRulesTests.ethBTCBook()
        let snapshot = book.snapshot(bids: RecorderBookRulesTests.bids, asks: RecorderBookRulesTests.asks)
        var steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8)
        for index in 0..<60 {
            steps.append(.frame(book.update(bids: [("0.031344", "1.\(100 + index)00000")])))
            // Ticks hand records over to the sinks while the stuck one is still stuck.
            if index % 10 == 9 { steps.append(.advance(microseconds: 200_000)) }
        }
        let stuck = StuckSink()
        let queued = QueuedSink(stuck, name: "stuck", capacity: 8, closeTimeout: .milliseconds(200))
        let delivered = MemorySink()
        let beside = QueuedSink(delivered, name: "healthy", capacity: 10_000)
        // Released only after the checks: until then it holds its first record.
        defer { stuck.release.signal() }
        let run = try harness.run([ScriptedConnection(steps)], extraSinks: [queued, beside])

        #expect(run.books.count == 61)
        let rows = try harness.fileLines(.orderBook).dropFirst()
        #expect(rows.count == 61)
        #expect(delivered.books.count == 61)
        #expect(delivered.events.map(\.event.name) == run.eventNames)
        #expect(delivered.isClosed)
        // Stuck on its first record: it returned none, so every record offered to it is counted lost.
        let total = run.books.count + run.trades.count + run.events.count
        #expect(stuck.receivedCount == 1)
        #expect(queued.deliveredCount == 0)
        #expect(queued.droppedCount == total)
        #expect(beside.deliveredCount == total && beside.droppedCount == 0)
    }

    /// With outputs beside the files, each book's row is formatted once: every sink gets its text,
    /// which is the file's row byte for byte, and the outputs' JSON is made from it.
    @Test func theOutputsGetTheFilesOwnRowText() throws {
        let harness = try RecorderHarness(levels: 3)
        var book = RecorderBookRulesTests.ethBTCBook()
        let snapshot = book.snapshot(bids: RecorderBookRulesTests.bids, asks: RecorderBookRulesTests.asks)
        var steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8)
        for index in 0..<20 {
            steps.append(.frame(book.update(bids: [("0.031344", "1.\(100 + index)00000")])))
        }
        let run = try harness.run([ScriptedConnection(steps)])
        let rows = try harness.fileLines(.orderBook).dropFirst()
        #expect(run.books.count == 21 && rows.count == 21)
        #expect(run.books.map { $0.text.map { String(decoding: $0.row, as: UTF8.self) } } == rows.map { $0 + "\n" })
        for top in run.books {
            var unshared = top
            unshared.text = nil
            #expect(LiveMessage.book(pair: "ETH-BTC", top) == LiveMessage.book(pair: "ETH-BTC", unshared))
        }
    }

    @Test func aQueuedSinkDropsAndCountsWhenItsQueueIsFull() throws {
        let stuck = StuckSink()
        let queued = QueuedSink(stuck, name: "stuck", capacity: 3, closeTimeout: .milliseconds(100))
        let event = LedgerRecord(timestamp: UTCTimestamp(microsecondsSince1970: 0), event: .started, detail: "")
        queued.record(event: event)
        queued.flush()
        // Wait (with a deadline) until the drain thread holds the first record, stuck in the sink.
        let deadline = Date(timeIntervalSinceNow: 5)
        while stuck.receivedCount == 0, Date() < deadline { usleep(1_000) }
        #expect(stuck.receivedCount == 1)
        for _ in 0..<10 { queued.record(event: event) }
        queued.flush()
        #expect(queued.droppedCount == 7)
        queued.close()
        // The stuck record and the three queued behind it never got there before the close gave up.
        #expect(queued.droppedCount == 11)
        #expect(queued.deliveredCount == 0)
        #expect(!queued.isFinished)
        stuck.release.signal()
    }

    @Test func midPriceHasOneDigitMoreThanThePairsPricePrecision() throws {
        let harness = try RecorderHarness(pair: "BTC-USD")
        var book = ScriptedBook(symbol: "BTC/USD", depth: 10, pricePrecision: 0, qtyPrecision: 8)
        let snapshot = book.snapshot(bids: [("10234485", "0.50000000")], asks: [("10234486", "0.25000000")])
        let steps = harness.frames(toLiveWith: snapshot, pricePrecision: 0, qtyPrecision: 8) + [
            .frame(book.update(asks: [("10234486", "0"), ("10234487", "1.00000000")])),
        ]
        _ = try harness.run([ScriptedConnection(steps)])
        let header = try harness.fileLines(.orderBook)
        let midColumn = try #require(header.first?.split(separator: ",").firstIndex(of: "mid_price"))
        let mids = header.dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[midColumn]) }
        #expect(mids == ["10234485.5", "10234486.0"])
    }
}
