import BytebitCore
import BytebitLoader
import Foundation
import PostgresTestSupport
import Testing

/// The ticker and Kraken's ohlc candles (SPEC §10) reach their own tables cell for cell, each interval
/// its own position, exactly once.
@Suite(.serialized) struct LoaderChannelTablesTests {
    let server: PostgresTestServer
    let files: RecordedFiles
    let date = "2026-11-21"
    let log = LogRecorder()

    init() throws {
        server = try PostgresTestServer()
        files = try RecordedFiles.make()
    }

    func pass() throws -> Int {
        let loader = try Loader(
            connection: server.connect(), settings: LoaderSettings(dataDirectory: files.dataDirectory.path),
            logger: log.logger())
        return try loader.pass().loaded
    }

    @Test func tickerAndOHLCRowsKeepTheirTextAndLoadOnce() throws {
        let ticker = [
            "\(date)T00:00:01.000000Z,\(date)T00:00:01.000100Z,67321.1,0.50000000,67321.2,1.20000000,67321.2,"
                + "1234.56780000,67000.12345,66000.0,68000.0,-100.5,-0.15",
            "\(date)T00:00:02.000000Z,\(date)T00:00:02.000100Z,67321.0,0.10000000,67321.3,,67321.0,"
                + "1234.57000000,67000.12346,66000.0,68000.0,,",
        ]
        try files.append(ticker.map { $0 + "\n" }.joined(), pair: "BTC-USD", stream: .ticker, date: date)
        let oneMinute = "\(date)T00:00:00.000000Z,67321.1,67330.0,67300.5,67320.0,1.25000000,67315.12345,12\n"
        let fiveMinutes = "\(date)T00:00:00.000000Z,67321.1,67340.0,67290.5,67335.0,6.00000000,67318.00001,60\n"
        try files.append(oneMinute, pair: "BTC-USD", stream: .ohlc(.oneMinute), date: date)
        try files.append(fiveMinutes, pair: "BTC-USD", stream: .ohlc(.fiveMinutes), date: date)
        #expect(try pass() == 4)
        #expect(try pass() == 0, "loaded once")
        let tickers = try server.execute("""
            SELECT bid::text, bid_qty::text, ask_qty::text, volume::text, vwap::text, change::text, change_pct::text
            FROM kraken_ticker ORDER BY event_time
            """)
        #expect(tickers == [
            ["67321.1", "0.50000000", "1.20000000", "1234.56780000", "67000.12345", "-100.5", "-0.15"],
            ["67321.0", "0.10000000", nil, "1234.57000000", "67000.12346", nil, nil],
        ])
        let candles = try server.execute("""
            SELECT interval, open::text, high::text, volume::text, vwap::text, trades::text FROM kraken_ohlc ORDER BY interval
            """)
        #expect(candles == [
            ["1m", "67321.1", "67330.0", "1.25000000", "67315.12345", "12"],
            ["5m", "67321.1", "67340.0", "6.00000000", "67318.00001", "60"],
        ])
    }

    @Test func aRowWithTheWrongCellCountIsRejectedAndTheNextOneLoads() throws {
        let rows = "\(date)T00:00:00.000000Z,1.0,2.0\n\(date)T00:01:00.000000Z,1.0,2.0,0.5,1.5,3.00000000,1.2,7\n"
        try files.append(rows, pair: "ETH-USD", stream: .ohlc(.oneMinute), date: date)
        #expect(try pass() == 1)
        let rejects = try server.execute("SELECT line::text, error FROM \(LoaderSchema.rejectsTable)")
        #expect(rejects.count == 1)
        #expect(rejects.first?.first == "2", "the file's line: the header is line 1")
        #expect(rejects.first?.last??.contains("3 cells, expected 8") == true)
    }

    @Test func candlesLoadWithTheirCompletenessAndAnUnknownVWAPAsNull() throws {
        let rows = "\(date)T00:00:00.000000Z,67321.1,67330.0,67300.5,67320.0,1.25000000,67315.12345000,12,true\n"
            + "\(date)T00:01:00.000000Z,67320.0,67320.0,67320.0,67320.0,,,1,false\n"
        try files.append(rows, pair: "BTC-USD", stream: .klines(.oneMinute), date: date)
        #expect(try pass() == 2)
        let candles = try server.execute("""
            SELECT interval, open::text, volume::text, vwap::text, trades::text, complete::text
            FROM kraken_klines ORDER BY interval_begin
            """)
        #expect(candles == [
            ["1m", "67321.1", "1.25000000", "67315.12345000", "12", "true"],
            ["1m", "67320.0", nil, nil, "1", "false"],
        ])
    }
}
