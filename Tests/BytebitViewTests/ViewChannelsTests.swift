import BytebitCore
import Testing

@testable import BytebitView

/// `view --summary` and `list` count the ticker and Kraken's candles when a day has them (SPEC §10).
@Suite struct ViewChannelsTests {
    static let ticker = "timestamp,received_at,bid,bid_qty,ask,ask_qty,last,volume,vwap,low,high,change,change_pct\n"
        + "2026-11-21T13:00:00.500000Z,2026-11-21T13:00:00.500100Z,67321.0,0.1,67321.2,0.2,67321.1,12.3,67320.9,"
        + "67100.0,67400.0,-5.0,-0.01\n"
        + "2026-11-21T13:00:02.500000Z,2026-11-21T13:00:02.500100Z,67321.1,0.1,67321.2,0.2,67321.1,12.3,67320.9,"
        + "67100.0,67400.0,-5.0,-0.01\n"
        + "2026-11-21T13:00:04.500000Z,2026-11-21T13:00:04.500100Z,67321.2,0.1,67321.3,0.2,67321.1,12.3,67320.9,"
        + "67100.0,67400.0,-5.0,-0.01\n"
    static let ohlc = "interval_begin,open,high,low,close,volume,vwap,trades\n"
        + "2026-11-21T12:58:00.000000Z,67320.0,67322.0,67319.0,67321.0,1.5,67320.51234,12\n"
        + "2026-11-21T12:59:00.000000Z,67321.0,67322.0,67320.0,67320.5,0.5,67321.00000,3\n"

    static func directory() throws -> ViewDataDirectory {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.book, kind: .orderBook)
        try data.write(ViewSamples.tradeFile, kind: .trades)
        try data.write(ViewSamples.events, kind: .events)
        try data.write(Self.ticker, kind: .ticker)
        try data.write(Self.ohlc, kind: .ohlc(.oneMinute))
        return data
    }

    @Test func theSummaryCountsTickerAndCandleRowsInItsWindow() throws {
        let data = try Self.directory()
        var request = ViewSamples.request(format: .json)
        request.showsSummary = true
        let (output, result) = data.view(request)
        #expect(try result.get().corruptRowCount == 0)
        #expect(output.contains(#","ticker_rows":3,"ohlc_rows":{"1m":2},"gaps":"#))
        let date = try #require(CalendarDate(ViewSamples.day))
        var window = ViewRequest(pair: "BTC-USD", date: date, window: try TimeWindow(from: "13:00:01", to: "13:00:03", on: date))
        window.showsSummary = true
        let (text, _) = data.view(window)
        #expect(text.contains("channels   ticker 1 rows, ohlc 1m 0\n"))
    }

    @Test func aSummaryWithoutThemSaysNothingAboutThem() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.book, kind: .orderBook)
        try data.write(ViewSamples.tradeFile, kind: .trades)
        var request = ViewSamples.request(format: .json)
        request.showsSummary = true
        let (output, _) = data.view(request)
        #expect(!output.contains("ticker_rows") && !output.contains("ohlc_rows"))
    }

    @Test func listCountsThemPerDay() throws {
        let data = try Self.directory()
        let entries = try DayListing.entries(in: data.directory)
        #expect(entries.count == 1)
        #expect(entries.first?.tickerRows == 3)
        #expect(entries.first?.ohlcRows == 2)
        let csv = DayListing.render(entries, format: .csv, style: TerminalStyle(width: 200, usesColour: false))
        #expect(csv.hasPrefix("pair,date,orderbook_rows,orderbook_bytes,trade_rows,trade_bytes,first,last,gaps,ticker_rows,ohlc_rows\n"))
        #expect(csv.hasSuffix(",3,2\n"))
    }
}
