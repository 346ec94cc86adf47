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

    /// An output that writes each book's message while the recorder hands it the book.
    final class BookMessageCapture: RecordSink {
        var messages: [[UInt8]] = []
        var carriedLevelJSON: [Bool] = []
        func record(book: VerifiedBookTop) {
            carriedLevelJSON.append(book.carriesLevelJSON)
            messages.append(LiveMessage.book(pair: "ETH-BTC", book))
        }
        func record(trade: TradeRecord) {}
        func record(event: LedgerRecord) {}
        func flush() {}
        func close() {}
    }

    /// With outputs beside the files, each book carries its levels' JSON fragments, rendered in the
    /// book with the levels' text (which the file row copies): every output's message is the one
    /// formatted from the levels, and its numbers are the file row's cells.
    @Test func theOutputsGetTheFilesOwnNumbers() throws {
        let harness = try RecorderHarness(levels: 3)
        var book = RecorderBookRulesTests.ethBTCBook()
        let snapshot = book.snapshot(bids: RecorderBookRulesTests.bids, asks: RecorderBookRulesTests.asks)
        var steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8)
        for index in 0..<20 {
            steps.append(.frame(book.update(bids: [("0.031344", "1.\(100 + index)00000")])))
        }
        let outputs = BookMessageCapture()
        let run = try harness.run([ScriptedConnection(steps)], extraSinks: [outputs])
        let rows = try harness.fileLines(.orderBook).dropFirst()
        #expect(run.books.count == 21 && rows.count == 21)
        #expect(outputs.carriedLevelJSON == Array(repeating: true, count: 21))
        // The memory sink's copies carry no level text: their messages are formatted from the levels.
        #expect(outputs.messages == run.books.map { LiveMessage.book(pair: "ETH-BTC", $0) })
        // A row: times, bids deepest → best as `qty,price`, the mid, asks best → deepest.
        for (message, row) in zip(outputs.messages, rows) {
            let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(cells.count == 15)
            guard cells.count == 15 else { continue }
            let bids = stride(from: 6, through: 2, by: -2).map { "[\"\(cells[$0 + 1])\",\"\(cells[$0])\"]" }
            let asks = stride(from: 9, through: 13, by: 2).map { "[\"\(cells[$0 + 1])\",\"\(cells[$0])\"]" }
            let text = String(decoding: message, as: UTF8.self)
            #expect(text.hasSuffix(#""bids":["# + bids.joined(separator: ",") + #"],"asks":["# + asks.joined(separator: ",") + "]}"))
            #expect(text.contains(#""timestamp":"\#(cells[0])","received_at":"\#(cells[1])""#))
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
