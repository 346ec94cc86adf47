import Foundation
import Testing
@testable import BytebitView
import BytebitCore

/// A day can have several files per stream: a gzip and the late rows written beside it after it was
/// compressed, a layout folder (`levels-N/`) or an old numbered variant (`.1.csv`) after `levels` changed.
/// `view` and `list` read every one.
@Suite struct ViewDayFilesTests {
    /// The same rows with one level a side (the sample book has two).
    static let oneLevelHeader = "timestamp,received_at,best_bid_qty,best_bid_price,mid_price,best_ask_qty,best_ask_price"
    static let oneLevelRows = [
        "2026-11-21T14:00:00.000000Z,2026-11-21T14:00:00.001000Z,0.25000000,67321.0,67321.05,1.00000000,67321.1",
        "2026-11-21T14:00:01.000000Z,2026-11-21T14:00:01.001000Z,0.30000000,67321.0,67321.1,0.75000000,67321.2",
    ]
    static var oneLevelBook: String { ([oneLevelHeader] + oneLevelRows).joined(separator: "\n") + "\n" }

    func listed(_ data: ViewDataDirectory) throws -> DayListingEntry {
        try #require(try DayListing.entries(in: data.directory).first)
    }

    @Test func aDayWithOnlyAnOldVariantFileIsListedAndShown() throws {
        let data = try ViewDataDirectory()
        try data.write(Self.oneLevelBook, kind: .orderBook, variant: 1)
        let entry = try listed(data)
        #expect(entry.orderbook?.rows == 2)
        let (output, result) = data.view(ViewSamples.request(format: .csv))
        #expect(try result.get().rowsShown == 2)
        #expect(output == Self.oneLevelBook)
    }

    @Test(arguments: [nil, "levels-1"] as [String?])
    func aChangedLayoutIsCountedAndShownAfterTheMainFile(layoutFolder: String?) throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.book, kind: .orderBook)
        try data.write(Self.oneLevelBook, kind: .orderBook, layoutFolder: layoutFolder, variant: layoutFolder == nil ? 1 : 0)
        let entry = try listed(data)
        #expect(entry.orderbook?.rows == ViewSamples.bookRows.count + 2)
        #expect(entry.orderbook?.last == UTCTimestamp("2026-11-21T14:00:01Z"))
        // One CSV table: the later file's rows in the first file's columns, its missing levels empty.
        let (output, result) = data.view(ViewSamples.request(format: .csv))
        #expect(try result.get().rowsShown == ViewSamples.bookRows.count + 2)
        #expect(output == ViewSamples.book + """
            2026-11-21T14:00:00.000000Z,2026-11-21T14:00:00.001000Z,,,0.25000000,67321.0,67321.05,1.00000000,67321.1,,
            2026-11-21T14:00:01.000000Z,2026-11-21T14:00:01.001000Z,,,0.30000000,67321.0,67321.1,0.75000000,67321.2,,

            """)
        var tail = ViewSamples.request(format: .csv)
        tail.tail = 3
        let (tailOutput, _) = data.view(tail)
        #expect(tailOutput.split(separator: "\n").count == 4)
        #expect(tailOutput.hasSuffix(Self.oneLevelRows[1] .replacingOccurrences(of: "Z,0.30000000", with: "Z,,,0.30000000") + ",,\n"))
    }

    @Test func lateRowsBesideAGzipAreCountedAndShown() throws {
        let data = try ViewDataDirectory()
        let trades = ViewSamples.trades.map(ViewSamples.tradeLine)
        try data.write(([ViewSamples.tradeHeader] + trades.prefix(3)).joined(separator: "\n") + "\n", kind: .trades, gzip: true)
        try data.write(([ViewSamples.tradeHeader] + trades.dropFirst(3)).joined(separator: "\n") + "\n", kind: .trades)
        let entry = try listed(data)
        #expect(entry.trades?.rows == trades.count)
        #expect(entry.trades?.paths.count == 2)
        let (output, result) = data.view(ViewSamples.request(trades: true, format: .csv))
        #expect(try result.get().rowsShown == trades.count)
        #expect(output == ViewSamples.tradeFile)
        var summary = ViewSamples.request(trades: true)
        summary.showsSummary = true
        #expect(try data.view(summary).1.get().rowsShown == trades.count)
    }

    @Test func listReportsCorruptRowsInsteadOfSkippingThemQuietly() throws {
        let data = try ViewDataDirectory()
        let bad = ViewSamples.bookRows[1].replacingOccurrences(of: "2.00000000", with: "2.0x")
        let path = try data.write(([ViewSamples.bookHeader, ViewSamples.bookRows[0], bad]).joined(separator: "\n") + "\n", kind: .orderBook)
        let entries = try DayListing.entries(in: data.directory)
        #expect(entries.first?.orderbook?.rows == 1)
        let problems = DayListing.problems(in: entries)
        #expect(problems.count == 1)
        #expect(problems.rows.first?.path == path)
        #expect(problems.rows.first?.position.lineNumber == 3)
    }

    @Test func theTableChecksDeepLevelsAsCSVDoes() throws {
        let data = try ViewDataDirectory()
        // Only the second level is damaged: the best-only table does not parse it, yet must report it.
        let bad = ViewSamples.bookRows[1].replacingOccurrences(of: "0.50000000,67320.9", with: "0.50000000,67x20.9")
        try data.write(([ViewSamples.bookHeader, ViewSamples.bookRows[0], bad]).joined(separator: "\n") + "\n", kind: .orderBook)
        for format in [OutputFormat.table, .json, .csv] {
            let report = try data.view(ViewSamples.request(format: format)).1.get()
            #expect(report.corruptRowCount == 1, "format \(format)")
            #expect(report.rowsShown == 1, "format \(format)")
        }
    }

    @Test func moreLevelsThanTheFileHasIsSaid() throws {
        let data = try ViewDataDirectory()
        let path = try data.write(ViewSamples.book, kind: .orderBook)
        var request = ViewSamples.request()
        request.levels = 50
        let report = try data.view(request).1.get()
        #expect(report.notes == ["\(path) has 2 levels a side; showing 2, not the 50 asked for"])
        request.levels = 2
        #expect(try data.view(request).1.get().notes.isEmpty)
    }

    @Test func aTradesOnlyPairSuggestsTrades() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.tradeFile, kind: .trades)
        let (_, result) = data.view(ViewSamples.request())
        #expect(throws: ViewError.noFileForDay(
            pair: "BTC-USD", kind: .orderBook, date: ViewSamples.day, availableDates: [], otherStream: .trades)) { try result.get() }
        let message = ViewError.noFileForDay(
            pair: "BTC-USD", kind: .orderBook, date: ViewSamples.day, availableDates: [], otherStream: .trades).description
        #expect(message.contains("--trades"))
        #expect(!message.contains("--date"))
    }

    @Test func pairsFollowTheConfigRule() throws {
        #expect(try ViewRequest.pairName("BTC-USD") == "BTC-USD")
        #expect(try ViewRequest.pairName("XBT-USD") == "BTC-USD")
        for refused in ["btc-usd", "BTC/USD", "btc"] {
            #expect(throws: ViewError.self) { try ViewRequest.pairName(refused) }
        }
        let error = #expect(throws: ViewError.self) { try ViewRequest.pairName("btc-usd") }
        #expect(error?.description.contains("did you mean BTC-USD?") == true)
    }

    @Test func aWindowedScanNamesTheLineOfACorruptRow() throws {
        let data = try ViewDataDirectory()
        // Enough rows that the window search seeks past the file's start (more than 64 KiB before it).
        var lines = [ViewSamples.tradeHeader]
        var stamp = UTCTimestamp("2026-11-21T10:00:00Z") ?? UTCTimestamp(microsecondsSince1970: 0)
        for id in 1...3000 {
            stamp = UTCTimestamp(microsecondsSince1970: stamp.microseconds + 1_000_000)
            lines.append("\(stamp),\(stamp),\(id),buy,67321.1,0.01000000,limit")
        }
        let badLine = 2900
        lines[badLine - 1] = lines[badLine - 1].replacingOccurrences(of: ",buy,", with: ",short,")
        try data.write(lines.joined(separator: "\n") + "\n", kind: .trades)
        var request = ViewSamples.request(trades: true, format: .csv)
        let date = try #require(CalendarDate(ViewSamples.day))
        request.window = try TimeWindow(from: "10:48:00", to: nil, on: date)
        let report = try data.view(request).1.get()
        #expect(report.corruptRows.map(\.position.lineNumber) == [badLine])
        #expect(report.corruptRows.first?.description.contains("line \(badLine)") == true)
    }
}

/// Late rows are read after the gzip they belong beside, so statistics go by time, not reading order.
@Suite struct ViewStatisticsOrderTests {
    func trade(_ time: String, _ price: String) -> TradeRow {
        let stamp = UTCTimestamp(time) ?? UTCTimestamp(microsecondsSince1970: 0)
        return TradeRow(
            timestamp: stamp, receivedAt: stamp, tradeID: 1, side: .buy,
            price: ExactDecimal(price) ?? ExactDecimal(units: 0, scale: 0),
            qty: ExactDecimal(units: 1, scale: 0), orderType: "limit")
    }

    @Test func openAndCloseAreTheEarliestAndLatestTrades() {
        var statistics = TradeStatistics()
        statistics.record(trade("2026-11-21T13:00:02Z", "102.0"))
        statistics.record(trade("2026-11-21T13:00:03Z", "103.0"))
        statistics.record(trade("2026-11-21T13:00:01Z", "101.0"))
        #expect(statistics.open == ExactDecimal("101.0"))
        #expect(statistics.close == ExactDecimal("103.0"))
        #expect(statistics.first == UTCTimestamp("2026-11-21T13:00:01Z"))
        #expect(statistics.last == UTCTimestamp("2026-11-21T13:00:03Z"))
    }
}
