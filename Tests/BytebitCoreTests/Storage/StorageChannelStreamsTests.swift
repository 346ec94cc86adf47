import Foundation
import Testing

@testable import BytebitCore

/// The ticker and ohlc streams on disk: their folders, names, headers and exact rows (SPEC §10).
@Suite struct StorageChannelStreamsTests {
    /// Kraken's text as a number (the texts here are all valid; a bad one would show as 0 in the rows).
    static func number(_ text: String) -> ExactDecimal { ExactDecimal(text) ?? ExactDecimal(units: 0, scale: 0) }

    static let ticker = TickerRecord(
        KrakenTicker(
            symbol: "BTC/USD", bid: Self.number("67321.0"), bidQty: Self.number("0.10000000"),
            ask: Self.number("67321.5"), askQty: Self.number("1.20000000"), last: Self.number("67321.1"),
            volume: Self.number("12.30000000"), vwap: Self.number("67320.9"), low: Self.number("67100.0"),
            high: Self.number("67400.0"), change: Self.number("-5.0"), changePercent: Self.number("-0.01"),
            timestamp: StorageScratch.time("2026-11-21T23:59:59.500000Z")),
        receivedAt: StorageScratch.time("2026-11-21T23:59:59.500321Z"))

    static func candle(_ interval: OHLCInterval, begin: String) -> OHLCRecord {
        OHLCRecord(
            KrakenCandle(
                symbol: "BTC/USD", intervalMinutes: interval.minutes, intervalBegin: StorageScratch.time(begin),
                open: Self.number("85754.8"), high: Self.number("85754.8"), low: Self.number("85754.7"),
                close: Self.number("85754.8"), volume: Self.number("0.00126522"),
                vwap: Self.number("85754.73333"), trades: 5),
            interval: interval)
    }

    @Test func rowsGoToTheirOwnFilesInKrakensText() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let files = DailyFileSet(
            dataDirectory: scratch.path, pair: "BTC-USD", orderBookLevels: 1, compressor: nil,
            compressionDelayMicroseconds: 0, clock: SystemClock(), logger: StorageScratch.logger)
        var batch = RowBatch(orderBookLevels: 1)
        batch.appendTicker(Self.ticker)
        batch.appendCandle(Self.candle(.oneMinute, begin: "2026-11-21T23:59:00Z"))
        batch.appendCandle(Self.candle(.oneMinute, begin: "2026-11-22T00:00:00Z"))
        batch.appendCandle(Self.candle(.fifteenDays, begin: "2026-11-14T00:00:00Z"))
        #expect(batch.rowCount == 4)
        files.write(batch)
        files.closeAll()
        #expect(scratch.read("BTC-USD", .ticker, "ticker_data_2026-11-21.csv")
            == "timestamp,received_at,bid,bid_qty,ask,ask_qty,last,volume,vwap,low,high,change,change_pct\n"
            + "2026-11-21T23:59:59.500000Z,2026-11-21T23:59:59.500321Z,67321.0,0.10000000,67321.5,1.20000000,"
            + "67321.1,12.30000000,67320.9,67100.0,67400.0,-5.0,-0.01\n")
        let header = "interval_begin,open,high,low,close,volume,vwap,trades\n"
        // A candle's day is its interval_begin's.
        #expect(scratch.names("BTC-USD", .ohlc(.oneMinute))
            == ["ohlc_15d_2026-11-14.csv", "ohlc_1m_2026-11-21.csv", "ohlc_1m_2026-11-22.csv"])
        #expect(scratch.read("BTC-USD", .ohlc(.oneMinute), "ohlc_1m_2026-11-22.csv")
            == header + "2026-11-22T00:00:00.000000Z,85754.8,85754.8,85754.7,85754.8,0.00126522,85754.73333,5\n")
        #expect(files.counters.rowsWrittenTodayByStream[.ohlc(.oneMinute)] == 1)
    }

    /// With a ticker and several ohlc intervals a pair writes more than six files a day: today's must
    /// all stay open (closing one would reopen it, header checks included, on every batch).
    @Test func everyStreamOfTheDayStaysOpen() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let files = DailyFileSet(
            dataDirectory: scratch.path, pair: "BTC-USD", orderBookLevels: 1, compressor: nil,
            compressionDelayMicroseconds: 0, clock: SystemClock(), logger: StorageScratch.logger)
        var batch = RowBatch(orderBookLevels: 1)
        StorageScratch.trade(&batch, "2026-11-21T12:00:00Z", id: 1)
        StorageScratch.book(&batch, "2026-11-21T12:00:00Z")
        batch.appendEvent(timestamp: StorageScratch.time("2026-11-21T12:00:00Z"), event: "started", detail: "")
        batch.appendTicker(Self.ticker)
        for interval in [OHLCInterval.oneMinute, .fiveMinutes, .fifteenMinutes, .oneHour] {
            batch.appendCandle(Self.candle(interval, begin: "2026-11-21T11:00:00Z"))
        }
        files.write(batch)
        #expect(files.openFiles.count == 8)
        // A late row of the day before is written; today's files stay open, the old day's goes next.
        var late = RowBatch(orderBookLevels: 1)
        StorageScratch.trade(&late, "2026-11-20T23:59:59Z", id: 0)
        files.write(late)
        #expect(files.openFiles.count == 9)
        var next = RowBatch(orderBookLevels: 1)
        next.appendCandle(Self.candle(.fourHours, begin: "2026-11-21T08:00:00Z"))
        files.write(next)
        #expect(files.openFiles.count == 9)
        #expect(!files.openFiles.keys.contains { $0.day == StorageScratch.time("2026-11-20T00:00:00Z").dayNumber })
        files.closeAll()
    }
}
