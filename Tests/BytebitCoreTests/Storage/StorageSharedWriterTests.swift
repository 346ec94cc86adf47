import Foundation
import Testing
@testable import BytebitCore

/// Several pairs' `RecordWriter`s on one `RecordWriterThread` (a collector's group): one thread and
/// one wake-up for all, while each pair keeps its own files, counters, backlog bound and losses.
@Suite struct StorageSharedWriterTests {
    static let clock = ManualClock(StorageScratch.time("2026-11-21T12:00:00Z"))

    static func writer(
        _ scratch: StorageScratch, _ pair: String, on thread: RecordWriterThread, maxPendingBytes: Int = 64 << 20
    ) -> RecordWriter {
        RecordWriter(
            settings: .init(dataDirectory: scratch.path, pair: pair, orderBookLevels: 1, compressesFinishedDays: false,
                            flushInterval: .seconds(3600), largeBatchBytes: 1 << 30, maxPendingBytes: maxPendingBytes),
            thread: thread, clock: clock, logger: StorageScratch.logger)
    }

    static func trades(_ writer: RecordWriter, ids: ClosedRange<UInt64>) {
        var batch = writer.makeBatch()
        for id in ids { StorageScratch.trade(&batch, "2026-11-21T10:00:0\(id % 10)Z", id: id) }
        writer.submit(&batch)
    }

    static func tradeRows(_ scratch: StorageScratch, _ pair: String) -> Int {
        (scratch.read(pair, .trades, "trade_data_2026-11-21.csv")?.split(separator: "\n").count ?? 1) - 1
    }

    @Test func oneWakeUpWritesEveryPairsRowsToItsOwnFiles() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let thread = RecordWriterThread(logger: StorageScratch.logger)
        let btc = Self.writer(scratch, "BTC-USD", on: thread)
        let eth = Self.writer(scratch, "ETH-USD", on: thread)
        Self.trades(btc, ids: 1...2)
        Self.trades(eth, ids: 1...3)
        // Only BTC-USD asks; the same cycle writes ETH-USD's rows too (one thread, one wake-up).
        btc.flush()
        #expect(Self.tradeRows(scratch, "BTC-USD") == 2)
        #expect(Self.tradeRows(scratch, "ETH-USD") == 3)
        #expect(btc.counters.rowsWrittenToday(.trades) == 2)
        #expect(eth.counters.rowsWrittenToday(.trades) == 3)
        btc.close()
        eth.close()
        #expect(thread.hasNoWriters)
    }

    @Test func onePairsFailingDiskDoesNotStopTheOther() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        // A file where BTC-USD's folder should be: its writes fail, ETH-USD's do not.
        let blocker = scratch.path + "/BTC-USD"
        try "not a folder".write(toFile: blocker, atomically: false, encoding: .utf8)
        let thread = RecordWriterThread(logger: StorageScratch.logger)
        let btc = Self.writer(scratch, "BTC-USD", on: thread)
        let eth = Self.writer(scratch, "ETH-USD", on: thread)
        Self.trades(btc, ids: 1...2)
        Self.trades(eth, ids: 1...2)
        eth.flush()
        #expect(btc.counters.rowsDropped == 2)
        #expect(btc.counters.isLosingRows)
        #expect(eth.counters.rowsDropped == 0)
        #expect(eth.counters.lastError == nil)
        #expect(Self.tradeRows(scratch, "ETH-USD") == 2)
        // The disk comes back: BTC-USD records its loss in its own ledger; ETH-USD's has none.
        try FileManager.default.removeItem(atPath: blocker)
        Self.trades(btc, ids: 3...3)
        Self.trades(eth, ids: 3...3)
        btc.close()
        eth.close()
        #expect(Self.tradeRows(scratch, "BTC-USD") == 1)
        #expect(Self.tradeRows(scratch, "ETH-USD") == 3)
        #expect(scratch.read("BTC-USD", .events, "events_2026-11-21.csv")?.contains("write_failed") == true)
        #expect(scratch.read("ETH-USD", .events, "events_2026-11-21.csv") == nil)
    }

    @Test func theBacklogBoundIsEachPairs() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let thread = RecordWriterThread(logger: StorageScratch.logger)
        let btc = Self.writer(scratch, "BTC-USD", on: thread, maxPendingBytes: 150)
        let eth = Self.writer(scratch, "ETH-USD", on: thread)
        var probe = btc.makeBatch()
        StorageScratch.trade(&probe, "2026-11-21T10:00:00Z", id: 1)
        let kept = 150 / probe.byteCount
        // Let the first cycle (the new writers' files) pass, so the next rows stay pending.
        btc.flush()
        Self.trades(btc, ids: 1...4)
        Self.trades(eth, ids: 1...4)
        btc.close()
        eth.close()
        #expect(kept < 4, "the test needs the cap to bite")
        #expect(btc.counters.rowsDropped == 4)
        #expect(Self.tradeRows(scratch, "BTC-USD") == 0)
        #expect(eth.counters.rowsDropped == 0)
        #expect(Self.tradeRows(scratch, "ETH-USD") == 4)
    }

    @Test func closeDrainsEachPairAndTheLastCloseEndsTheThread() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let thread = RecordWriterThread(logger: StorageScratch.logger)
        let btc = Self.writer(scratch, "BTC-USD", on: thread)
        let eth = Self.writer(scratch, "ETH-USD", on: thread)
        Self.trades(btc, ids: 1...3)
        Self.trades(eth, ids: 1...2)
        btc.close()
        #expect(Self.tradeRows(scratch, "BTC-USD") == 3)
        #expect(!thread.hasNoWriters, "ETH-USD still writes")
        Self.trades(eth, ids: 3...3)
        var late = btc.makeBatch()
        StorageScratch.trade(&late, "2026-11-21T10:00:09Z", id: 9)
        btc.submit(&late)
        #expect(btc.counters.rowsDropped == 1, "a closed writer drops and counts")
        eth.close()
        #expect(Self.tradeRows(scratch, "ETH-USD") == 3)
        #expect(thread.hasNoWriters)
        // A writer added afterwards starts the thread again.
        let again = Self.writer(scratch, "ETH-USD", on: thread)
        Self.trades(again, ids: 4...4)
        again.close()
        #expect(Self.tradeRows(scratch, "ETH-USD") == 4)
    }
}
