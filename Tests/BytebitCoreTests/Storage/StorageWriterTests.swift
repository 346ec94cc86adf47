import Foundation
import Testing
@testable import BytebitCore

@Suite struct StorageWriterTests {
    static let tradeHeader = "timestamp,received_at,trade_id,side,price,qty,ord_type\n"

    func makeWriter(_ scratch: StorageScratch, levels: Int = 1, compress: Bool = false,
                    clock: any WallClock = ManualClock(StorageScratch.time("2026-11-21T12:00:00Z"))) -> RecordWriter {
        RecordWriter(
            settings: .init(dataDirectory: scratch.path, pair: "BTC-USD", orderBookLevels: levels,
                            compressesFinishedDays: compress, flushInterval: .seconds(3600)),
            clock: clock, logger: StorageScratch.logger)
    }

    @Test func rowsGoToTheFileOfTheirUTCDateAcrossMidnight() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let writer = makeWriter(scratch)
        var batch = writer.makeBatch()
        StorageScratch.trade(&batch, "2026-11-21T23:59:59.999999Z", id: 1)
        StorageScratch.trade(&batch, "2026-11-22T00:00:00.000000Z", id: 2)
        StorageScratch.book(&batch, "2026-11-21T23:59:59.5Z")
        StorageScratch.book(&batch, "2026-11-22T00:00:00.5Z")
        batch.appendEvent(timestamp: StorageScratch.time("2026-11-22T00:00:01Z"), event: "stopped", detail: "SIGTERM")
        writer.submit(&batch)
        #expect(batch.isEmpty)
        writer.flush()
        let first = try #require(scratch.read("BTC-USD", .trades, "trade_data_2026-11-21.csv"))
        let second = try #require(scratch.read("BTC-USD", .trades, "trade_data_2026-11-22.csv"))
        #expect(first.hasPrefix(Self.tradeHeader) && first.hasSuffix(",1,sell,67321.1,0.00100000,limit\n"))
        #expect(second.hasPrefix(Self.tradeHeader) && second.hasSuffix(",2,sell,67321.1,0.00100000,limit\n"))
        #expect(first.split(separator: "\n").count == 2)
        let book = try #require(scratch.read("BTC-USD", .orderBook, "orderbook_data_2026-11-22.csv"))
        #expect(book == "timestamp,received_at,best_bid_qty,best_bid_price,mid_price,best_ask_qty,best_ask_price\n"
            + "2026-11-22T00:00:00.500000Z,2026-11-22T00:00:00.500000Z,0.5,100.1,100.15,0.7,100.2\n")
        #expect(scratch.read("BTC-USD", .events, "events_2026-11-22.csv")
            == "timestamp,event,detail\n2026-11-22T00:00:01.000000Z,stopped,SIGTERM\n")
        #expect(writer.counters.day == "2026-11-22")
        #expect(writer.counters.rowsWrittenToday(.trades) == 1)
        #expect(writer.counters.rowsWrittenToday(.orderBook) == 1)
        writer.close()
    }

    @Test func restartAppendsWithoutASecondHeader() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        for id in 1...2 {
            let writer = makeWriter(scratch)
            var batch = writer.makeBatch()
            StorageScratch.trade(&batch, "2026-11-21T10:00:0\(id)Z", id: UInt64(id))
            writer.submit(&batch)
            writer.close()
        }
        let text = try #require(scratch.read("BTC-USD", .trades, "trade_data_2026-11-21.csv"))
        #expect(text.components(separatedBy: "trade_id").count == 2)
        #expect(text.split(separator: "\n").count == 3)
    }

    @Test func tornLastLineIsCutOnOpen() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.path + "/BTC-USD/trades", withIntermediateDirectories: true)
        let good = Self.tradeHeader + "2026-11-21T10:00:00.000000Z,2026-11-21T10:00:00.000000Z,7,buy,1.0,1.0,limit\n"
        try (good + "2026-11-21T10:00:01.000000Z,2026-11-2").write(
            toFile: scratch.file("BTC-USD", .trades, "trade_data_2026-11-21.csv"), atomically: false, encoding: .utf8)
        let writer = makeWriter(scratch)
        var batch = writer.makeBatch()
        StorageScratch.trade(&batch, "2026-11-21T10:00:02Z", id: 8)
        writer.submit(&batch)
        writer.close()
        let text = try #require(scratch.read("BTC-USD", .trades, "trade_data_2026-11-21.csv"))
        #expect(text == good + "2026-11-21T10:00:02.000000Z,2026-11-21T10:00:02.000000Z,8,sell,67321.1,0.00100000,limit\n")
    }

    @Test func lastTradeIDIsReadBackFromTodayOrAnEarlierDay() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let clock = ManualClock(StorageScratch.time("2026-11-21T12:00:00Z"))
        let writer = makeWriter(scratch, compress: true, clock: clock)
        var batch = writer.makeBatch()
        StorageScratch.trade(&batch, "2026-11-20T10:00:00Z", id: 41)
        StorageScratch.trade(&batch, "2026-11-20T11:00:00Z", id: 42)
        writer.submit(&batch)
        writer.flush()
        let today = StorageScratch.time("2026-11-21T12:00:00Z")
        #expect(try LastTradeID.read(dataDirectory: scratch.path, pair: "BTC-USD", today: today) == 42)
        // Compress the previous day, then read the id back from the .gz.
        clock.set(StorageScratch.time("2026-11-21T13:00:00Z"))
        writer.flush()
        writer.waitUntilCompressed()
        #expect(scratch.names("BTC-USD", .trades) == ["trade_data_2026-11-20.csv.gz"])
        #expect(try LastTradeID.read(dataDirectory: scratch.path, pair: "BTC-USD", today: today) == 42)
        StorageScratch.trade(&batch, "2026-11-21T12:00:00Z", id: 43)
        writer.submit(&batch)
        writer.close()
        #expect(try LastTradeID.read(dataDirectory: scratch.path, pair: "BTC-USD", today: today) == 43)
        #expect(try LastTradeID.read(dataDirectory: scratch.path, pair: "ETH-USD", today: today) == nil)
    }

    @Test func finishedDaysAreGzippedAndTodayStaysPlain() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let clock = ManualClock(StorageScratch.time("2026-11-21T00:05:00Z"))
        let writer = makeWriter(scratch, compress: true, clock: clock)
        var batch = writer.makeBatch()
        for second in 0..<50 { StorageScratch.book(&batch, "2026-11-20T23:59:\(10 + second).25Z", bid: 1000 + Int64(second)) }
        StorageScratch.book(&batch, "2026-11-21T00:00:01Z")
        writer.submit(&batch)
        writer.flush()
        writer.waitUntilCompressed()
        // Within the delay after midnight the finished day stays plain.
        #expect(scratch.names("BTC-USD", .orderBook) == ["orderbook_data_2026-11-20.csv", "orderbook_data_2026-11-21.csv"])
        let plain = try #require(scratch.read("BTC-USD", .orderBook, "orderbook_data_2026-11-20.csv"))
        clock.set(StorageScratch.time("2026-11-21T01:00:00Z"))
        writer.flush()
        writer.waitUntilCompressed()
        #expect(scratch.names("BTC-USD", .orderBook) == ["orderbook_data_2026-11-20.csv.gz", "orderbook_data_2026-11-21.csv"])
        #expect(try StorageScratch.gunzip(scratch.file("BTC-USD", .orderBook, "orderbook_data_2026-11-20.csv.gz")) == plain)
        // A late row for the compressed day lands in a plain file and is folded into the .gz.
        StorageScratch.book(&batch, "2026-11-20T23:59:59.999999Z")
        writer.submit(&batch)
        writer.close()
        let again = makeWriter(scratch, compress: true, clock: clock)
        again.flush()
        again.waitUntilCompressed()
        again.close()
        #expect(scratch.names("BTC-USD", .orderBook) == ["orderbook_data_2026-11-20.csv.gz", "orderbook_data_2026-11-21.csv"])
        let merged = try StorageScratch.gunzip(scratch.file("BTC-USD", .orderBook, "orderbook_data_2026-11-20.csv.gz"))
        #expect(merged == plain + "2026-11-20T23:59:59.999999Z,2026-11-20T23:59:59.999999Z,0.5,100.1,100.15,0.7,100.2\n")
    }

    @Test func compressionOnStartSettlesACrashBetweenRenameAndDelete() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let clock = ManualClock(StorageScratch.time("2026-11-22T12:00:00Z"))
        let first = makeWriter(scratch, compress: false, clock: clock)
        var batch = first.makeBatch()
        StorageScratch.trade(&batch, "2026-11-20T10:00:00Z", id: 1)
        first.submit(&batch)
        first.close()
        let plainPath = scratch.file("BTC-USD", .trades, "trade_data_2026-11-20.csv")
        let plain = try #require(scratch.read("BTC-USD", .trades, "trade_data_2026-11-20.csv"))
        // Simulate the crash: a complete .gz next to the plain file it came from.
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        gzip.arguments = ["-k", plainPath]
        try gzip.run()
        gzip.waitUntilExit()
        try #require(gzip.terminationStatus == 0)
        let second = makeWriter(scratch, compress: true, clock: clock)
        second.flush()
        second.waitUntilCompressed()
        second.close()
        #expect(scratch.names("BTC-USD", .trades) == ["trade_data_2026-11-20.csv.gz"])
        #expect(try StorageScratch.gunzip(plainPath + ".gz") == plain)
    }

    @Test func unwritableDataDirectoryDropsRowsAndRecoversWithAWriteFailedEvent() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        // A file where the pair's folder should be: mkdir fails even for root.
        let blocker = scratch.path + "/BTC-USD"
        try "not a folder".write(toFile: blocker, atomically: false, encoding: .utf8)
        let writer = makeWriter(scratch)
        var batch = writer.makeBatch()
        StorageScratch.trade(&batch, "2026-11-21T10:00:00Z", id: 1)
        StorageScratch.book(&batch, "2026-11-21T10:00:01Z")
        writer.submit(&batch)
        writer.flush()
        #expect(writer.counters.rowsDropped == 2)
        let error = try #require(writer.counters.lastError)
        #expect(error.contains("BTC-USD"))
        try FileManager.default.removeItem(atPath: blocker)
        StorageScratch.trade(&batch, "2026-11-21T10:00:02Z", id: 2)
        writer.submit(&batch)
        writer.flush()
        writer.close()
        let trades = try #require(scratch.read("BTC-USD", .trades, "trade_data_2026-11-21.csv"))
        #expect(trades.split(separator: "\n").count == 2)
        let events = try #require(scratch.read("BTC-USD", .events, "events_2026-11-21.csv"))
        let rows = events.split(separator: "\n")
        #expect(rows.count == 2)
        #expect(rows.last?.hasPrefix("2026-11-21T10:00:00.000000Z,write_failed,\"2 rows lost (orderbook 1, trades 1, events 0) "
            + "from 2026-11-21T10:00:00.000000Z to 2026-11-21T10:00:01.000000Z") == true)
    }

    @Test func backlogBeyondTheCapIsDroppedWithoutBlocking() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let writer = RecordWriter(
            settings: .init(dataDirectory: scratch.path, pair: "BTC-USD", orderBookLevels: 1, compressesFinishedDays: false,
                            flushInterval: .seconds(3600), largeBatchBytes: 1 << 30, maxPendingBytes: 150),
            clock: ManualClock(StorageScratch.time("2026-11-21T12:00:00Z")), logger: StorageScratch.logger)
        // The thread's first cycle opens the files; a row submitted before it began would be taken by
        // it, and the second row would never find a backlog (a race the test lost under load).
        #expect(StorageWriterCadenceTests.eventually { writer.cyclesStarted >= 1 })
        var batch = writer.makeBatch()
        StorageScratch.trade(&batch, "2026-11-21T10:00:00Z", id: 1)
        let oneRow = batch.byteCount
        writer.submit(&batch)
        StorageScratch.trade(&batch, "2026-11-21T10:00:01Z", id: 2)
        writer.submit(&batch)
        writer.flush()
        writer.close()
        // Only the rows that fit the cap reached the file; the rest were counted and recorded.
        let kept = 150 / oneRow
        let trades = try #require(scratch.read("BTC-USD", .trades, "trade_data_2026-11-21.csv"))
        #expect(trades.split(separator: "\n").count == 1 + kept)
        #expect(writer.counters.rowsDropped == 2 - kept)
        let events = try #require(scratch.read("BTC-USD", .events, "events_2026-11-21.csv"))
        #expect(events.contains("write_failed"))
    }
}
