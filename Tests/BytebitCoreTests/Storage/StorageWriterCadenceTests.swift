import Foundation
import Testing
@testable import BytebitCore

/// When the writer thread wakes (issue 10): only for writers with something to do, every
/// `flushInterval` while rows come, not at all while none do, and still in time for the rows, a
/// finished day's compression and a failed write's ledger row.
@Suite struct StorageWriterCadenceTests {
    /// The real clock moved so that the current UTC day ends `endsIn` microseconds from now.
    struct WriterCadenceShiftedClock: WallClock {
        let shift: Int64

        init(dayEndsIn endsIn: Int64) {
            let now = SystemClock().now().microseconds
            let nextMidnight = (now / UTCTimestamp.microsecondsPerDay + 1) * UTCTimestamp.microsecondsPerDay
            shift = nextMidnight - endsIn - now
        }

        func now() -> UTCTimestamp {
            UTCTimestamp(microsecondsSince1970: SystemClock().now().microseconds + shift)
        }
    }

    static func writer(
        _ scratch: StorageScratch, _ pair: String, on thread: RecordWriterThread, flushInterval: Duration = .seconds(3600),
        compress: Bool = false, clock: any WallClock = ManualClock(StorageScratch.time("2026-11-21T12:00:00Z"))
    ) -> RecordWriter {
        RecordWriter(
            settings: .init(dataDirectory: scratch.path, pair: pair, orderBookLevels: 1, compressesFinishedDays: compress,
                            flushInterval: flushInterval, largeBatchBytes: 1 << 30, compressionDelay: .zero),
            thread: thread, clock: clock, logger: StorageScratch.logger)
    }

    static func trade(_ writer: RecordWriter, at time: UTCTimestamp = StorageScratch.time("2026-11-21T10:00:00Z"), id: UInt64) {
        var batch = writer.makeBatch()
        batch.appendTrade(timestamp: time, receivedAt: time, tradeID: id, side: "sell",
                          price: ExactDecimal(units: 673211, scale: 1), qty: ExactDecimal(units: 100_000, scale: 8),
                          orderType: "limit")
        writer.submit(&batch)
    }

    /// Polls `condition` until it holds or `seconds` pass; true when it held.
    static func eventually(within seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }

    @Test func aWriterWithNothingToWriteIsLeftOutOfTheCycle() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let thread = RecordWriterThread(logger: StorageScratch.logger)
        let busy = Self.writer(scratch, "BTC-USD", on: thread)
        let quiet = Self.writer(scratch, "ETH-USD", on: thread)
        busy.flush()
        quiet.flush()
        let quietCycles = quiet.cyclesStarted
        for id in 1...3 {
            Self.trade(busy, id: UInt64(id))
            busy.flush()
        }
        #expect(busy.cyclesStarted >= 3)
        #expect(quiet.cyclesStarted == quietCycles, "a cycle with no rows, loss or day for it leaves it alone")
        busy.close()
        quiet.close()
        #expect(busy.counters.rowsWrittenToday(.trades) == 3)
    }

    @Test func anIdleThreadDoesNotWake() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let thread = RecordWriterThread(logger: StorageScratch.logger)
        let writer = Self.writer(scratch, "BTC-USD", on: thread, flushInterval: .milliseconds(20))
        writer.flush()
        // The cycle after the last rows finds nothing; from then on the thread sleeps.
        Self.trade(writer, id: 1)
        #expect(Self.eventually { writer.counters.rowsWrittenToday(.trades) == 1 })
        let settled = Self.eventually { let before = thread.cycleCount; usleep(60_000); return thread.cycleCount == before }
        #expect(settled)
        let cycles = thread.cycleCount
        usleep(300_000)  // 15 intervals: a thread waking every interval would have cycled ~15 times
        #expect(thread.cycleCount == cycles)
        writer.close()
    }

    @Test func rowsHandedToASleepingThreadReachTheFileWithinTheInterval() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let thread = RecordWriterThread(logger: StorageScratch.logger)
        let writer = Self.writer(scratch, "BTC-USD", on: thread, flushInterval: .milliseconds(200))
        writer.flush()
        // Nothing written in the first cycle: the thread sleeps until rows arrive, no flush() asked.
        #expect(Self.eventually { let before = thread.cycleCount; usleep(300_000); return thread.cycleCount == before })
        Self.trade(writer, id: 1)
        #expect(Self.eventually { writer.counters.rowsWrittenToday(.trades) == 1 })
        writer.close()
        let text = scratch.read("BTC-USD", .trades, "trade_data_2026-11-21.csv")
        #expect(text?.split(separator: "\n").count == 2)
    }

    @Test func aFinishedDayIsCompressedWhenDueWithoutNewRows() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let clock = WriterCadenceShiftedClock(dayEndsIn: 400_000)
        let thread = RecordWriterThread(logger: StorageScratch.logger)
        let writer = Self.writer(scratch, "BTC-USD", on: thread, compress: true, clock: clock)
        let today = clock.now()
        Self.trade(writer, at: today, id: 1)
        writer.flush()
        let plain = "trade_data_" + DailyFileName.date(ofDay: today.dayNumber) + ".csv"
        #expect(scratch.names("BTC-USD", .trades) == [plain])
        // The day ends 0.4 s later; the next interval is an hour away and no row or flush comes.
        #expect(Self.eventually { scratch.names("BTC-USD", .trades) == [plain + ".gz"] })
        writer.close()
    }
}
