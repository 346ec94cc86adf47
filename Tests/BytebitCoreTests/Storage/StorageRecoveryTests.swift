import Foundation
import Testing
@testable import BytebitCore

/// What a crash leaves behind, read back on the next start.
@Suite struct StorageRecoveryTests {
    static let header = "timestamp,received_at,trade_id,side,price,qty,ord_type\n"
    static let row = "2026-11-20T10:00:00.000000Z,2026-11-20T10:00:00.000000Z,77,buy,1.0,1.0,limit\n"

    func writeTradeFile(_ scratch: StorageScratch, date: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: scratch.path + "/BTC-USD/trades", withIntermediateDirectories: true)
        try text.write(toFile: scratch.file("BTC-USD", .trades, "trade_data_\(date).csv"), atomically: false, encoding: .utf8)
    }

    @Test func lastTradeIDIgnoresATornLastLine() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        try writeTradeFile(scratch, date: "2026-11-20", Self.header + Self.row + "2026-11-20T10:00:01.000000Z,2026-11-20T1")
        let today = StorageScratch.time("2026-11-20T12:00:00Z")
        #expect(try LastTradeID.read(dataDirectory: scratch.path, pair: "BTC-USD", today: today) == 77)
    }

    @Test func headerOnlyTodayFallsBackToTheDayBefore() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        try writeTradeFile(scratch, date: "2026-11-20", Self.header + Self.row)
        try writeTradeFile(scratch, date: "2026-11-21", Self.header)
        let today = StorageScratch.time("2026-11-21T12:00:00Z")
        #expect(try LastTradeID.read(dataDirectory: scratch.path, pair: "BTC-USD", today: today) == 77)
        // A file dated after "today" is not read.
        try writeTradeFile(scratch, date: "2026-11-22", Self.header + Self.row.replacingOccurrences(of: ",77,", with: ",99,"))
        #expect(try LastTradeID.read(dataDirectory: scratch.path, pair: "BTC-USD", today: today) == 77)
    }

    @Test func aFinishedDayWithATornLastLineIsCutBeforeCompression() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        try writeTradeFile(scratch, date: "2026-11-20", Self.header + Self.row + "2026-11-20T10:00:01.0000")
        let writer = RecordWriter(
            settings: .init(dataDirectory: scratch.path, pair: "BTC-USD", orderBookLevels: 1, flushInterval: .seconds(3600)),
            clock: ManualClock(StorageScratch.time("2026-11-22T00:00:00Z")), logger: StorageScratch.logger)
        writer.flush()
        writer.waitUntilCompressed()
        writer.close()
        #expect(scratch.names("BTC-USD", .trades) == ["trade_data_2026-11-20.csv.gz"])
        #expect(try StorageScratch.gunzip(scratch.file("BTC-USD", .trades, "trade_data_2026-11-20.csv.gz")) == Self.header + Self.row)
    }

    @Test func compressionIsSwitchedOff() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        try writeTradeFile(scratch, date: "2026-11-20", Self.header + Self.row)
        let writer = RecordWriter(
            settings: .init(dataDirectory: scratch.path, pair: "BTC-USD", orderBookLevels: 1, compressesFinishedDays: false,
                            flushInterval: .seconds(3600)),
            clock: ManualClock(StorageScratch.time("2026-11-22T00:00:00Z")), logger: StorageScratch.logger)
        writer.flush()
        writer.waitUntilCompressed()
        writer.close()
        #expect(scratch.names("BTC-USD", .trades) == ["trade_data_2026-11-20.csv"])
    }
}
