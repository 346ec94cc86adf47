import Foundation
import Testing
@testable import BytebitCore

/// The klines streams through the real writer: one file per interval per UTC day of `interval_begin`,
/// with the SPEC §10 header, counted per stream.
@Suite struct KlineStorageTests {
    static func kline(_ interval: KlineInterval, _ begin: String, trades: Int = 2) -> KlineRecord {
        let price = ExactDecimal(units: 673_211, scale: 1)
        return KlineRecord(
            interval: interval, intervalBegin: StorageScratch.time(begin), open: price, high: price, low: price,
            close: price, volume: WideDecimal(units: 200_000_000, scale: 8), vwap: WideDecimal(units: 6_732_110_000, scale: 5),
            trades: trades, complete: true)
    }

    @Test func candlesGoToTheirIntervalsFileOfTheDayTheyBegin() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let writer = RecordWriter(
            settings: .init(dataDirectory: scratch.path, pair: "BTC-USD", orderBookLevels: 1, compressesFinishedDays: false,
                            flushInterval: .seconds(3600)),
            clock: ManualClock(StorageScratch.time("2026-11-22T00:00:10Z")), logger: StorageScratch.logger)
        var batch = writer.makeBatch()
        batch.appendKline(Self.kline(.oneMinute, "2026-11-21T23:59:00Z"))
        batch.appendKline(Self.kline(.oneDay, "2026-11-21T00:00:00Z", trades: 9))
        batch.appendKline(Self.kline(.oneMinute, "2026-11-22T00:00:00Z"))
        #expect(batch.rowCount == 3)
        #expect(batch.byteCount == batch.klines.reduce(0) { $0 + $1.bytes.count })
        writer.submit(&batch)
        writer.flush()
        #expect(scratch.names("BTC-USD", .klines(.oneMinute)) == [
            "klines_1d_2026-11-21.csv", "klines_1m_2026-11-21.csv", "klines_1m_2026-11-22.csv",
        ])
        let header = "interval_begin,open,high,low,close,volume,vwap,trades,complete\n"
        #expect(scratch.read("BTC-USD", .klines(.oneMinute), "klines_1m_2026-11-21.csv")
            == header + "2026-11-21T23:59:00.000000Z,67321.1,67321.1,67321.1,67321.1,2.00000000,67321.10000,2,true\n")
        #expect(scratch.read("BTC-USD", .klines(.oneDay), "klines_1d_2026-11-21.csv")?.hasSuffix(",9,true\n") == true)
        #expect(writer.counters.rowsWrittenToday(.klines(.oneMinute)) == 1)
        writer.close()
        // The files are found again by interval (1m does not match 15m) and their header is a layout.
        let found = DailyFileName.existing(dataDirectory: scratch.path, pair: "BTC-USD", kind: .klines(.oneMinute))
        #expect(found.map(\.fileName) == ["klines_1m_2026-11-21.csv", "klines_1m_2026-11-22.csv"])
        #expect(StreamLayout(stream: .klines(.oneHour), headerCells: KlineCSV.columns) != nil)
    }
}
