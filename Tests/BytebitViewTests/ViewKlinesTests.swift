import BytebitCore
@testable import BytebitView
import Testing

/// `bytebit view PAIR --klines 1m` and the candle counts of `bytebit list`.
@Suite struct ViewKlinesTests {
    static let file = """
        interval_begin,open,high,low,close,volume,vwap,trades,complete
        2026-11-21T13:00:00.000000Z,100.0,101.0,99.5,100.5,2.00000000,100.25000,3,false
        2026-11-21T13:01:00.000000Z,100.5,100.5,98.0,98.0,1.50000000,99.00000,2,true
        2026-11-21T13:03:00.000000Z,98.0,102.0,98.0,102.0,4.00000000,101.12500,7,true

        """

    func request(_ format: OutputFormat = .table, summary: Bool = false) -> ViewRequest {
        var request = ViewRequest(pair: "BTC-USD", date: CalendarDate("2026-11-21")!)
        request.klines = .oneMinute
        request.format = format
        request.showsSummary = summary
        return request
    }

    @Test func csvKeepsTheFileRowsAndJSONHasExactNumbers() throws {
        let data = try ViewDataDirectory()
        try data.write(Self.file, kind: .klines(.oneMinute))
        let (csv, result) = data.view(request(.csv))
        #expect(try result.get().rowsShown == 3)
        #expect(csv == Self.file)
        let (json, _) = data.view(request(.json))
        let lines = json.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first == #"{"interval_begin":"2026-11-21T13:00:00.000000Z","open":100.0,"high":101.0,"low":99.5,"close":100.5,"volume":2.00000000,"vwap":100.25000,"trades":3,"complete":false}"#)
    }

    @Test func theTableMarksIncompleteCandlesAndAWindowNarrowsIt() throws {
        let data = try ViewDataDirectory()
        try data.write(Self.file, kind: .klines(.oneMinute))
        let (table, _) = data.view(request())
        #expect(table.contains("no (gap)"))
        #expect(table.split(separator: "\n").count == 4)  // header and three candles
        var windowed = request(.csv)
        windowed.window = try TimeWindow(from: "13:01", to: "13:02", on: windowed.date)
        let (csv, _) = data.view(windowed)
        #expect(csv.split(separator: "\n").map(String.init) == [
            KlineCSV.columns.joined(separator: ","),
            "2026-11-21T13:01:00.000000Z,100.5,100.5,98.0,98.0,1.50000000,99.00000,2,true",
        ])
    }

    @Test func theSummaryCountsCandlesAndChartsCloseAndVolume() throws {
        let data = try ViewDataDirectory()
        try data.write(Self.file, kind: .klines(.oneMinute))
        let (text, _) = data.view(request(summary: true))
        #expect(text.contains("candles     3 (1 incomplete: overlapping a gap)"))
        #expect(text.contains("trades      12"))
        #expect(text.contains("high/low    102.0 / 98.0"))
        #expect(text.contains("open/close  100.0 → 102.0"))
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("close   ") })
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("volume  ") })
    }

    @Test func aCorruptRowIsReportedAndADayWithoutCandlesSaysWhichExist() throws {
        let data = try ViewDataDirectory()
        try data.write(Self.file + "2026-11-21T13:04:00.000000Z,1.0,1.0,1.0,1.0,1,1,0,maybe\n", kind: .klines(.oneMinute))
        let (_, result) = data.view(request(.csv))
        #expect(try result.get().corruptRowCount == 1)
        var other = request()
        other.date = CalendarDate("2026-11-22")!
        let (_, missing) = data.view(other)
        guard case .failure(.noFileForDay(_, _, _, let dates, _)) = missing else {
            Issue.record("expected noFileForDay, got \(missing)")
            return
        }
        #expect(dates == ["2026-11-21"])
    }

    @Test func listCountsCandleRowsPerInterval() throws {
        let data = try ViewDataDirectory()
        try data.write(Self.file, kind: .klines(.oneMinute))
        try data.write(Self.file.split(separator: "\n").prefix(2).joined(separator: "\n") + "\n", kind: .klines(.fiveMinutes))
        let entries = try DayListing.entries(in: data.directory)
        #expect(entries.first?.klineSummary == "1m:3 5m:1")
        let csv = DayListing.render(entries, format: .csv, style: TerminalStyle(width: 200, usesColour: false))
        #expect(csv.hasSuffix(",1m:3 5m:1\n"))
        let json = DayListing.render(entries, format: .json, style: TerminalStyle(width: 200, usesColour: false))
        #expect(json.hasSuffix(#","kline_rows":{"1m":3,"5m":1}}"# + "\n"))
        let table = DayListing.render(entries, format: .table, style: TerminalStyle(width: 200, usesColour: false))
        #expect(table.contains("candles") && table.contains("1m:3 5m:1"))
    }
}
