import Testing
@testable import BytebitView
import BytebitCore

/// Hand-made edge cases: empty file, header only, torn last line, corrupt rows, gzip, missing pair or day.
@Suite struct ViewEdgeCaseTests {
    @Test func emptyFileSaysSoAndIsNoData() throws {
        let data = try ViewDataDirectory()
        let path = try data.write("", kind: .orderBook)
        let (_, result) = data.view(ViewSamples.request())
        #expect(throws: ViewError.noRows(path: path, reason: "the file is empty")) { try result.get() }
    }

    @Test(arguments: [false, true])
    func headerOnlyFileIsNoData(gzip: Bool) throws {
        let data = try ViewDataDirectory()
        let path = try data.write(ViewSamples.tradeHeader + "\n", kind: .trades, gzip: gzip)
        let (output, result) = data.view(ViewSamples.request(trades: true))
        #expect(output.isEmpty)
        #expect(throws: ViewError.noRows(path: path, reason: "it holds only the header")) { try result.get() }
    }

    @Test func tornLastLineIsReportedWithItsLineNumberAndSkipped() throws {
        let data = try ViewDataDirectory()
        let path = try data.write(ViewSamples.book + "2026-11-21T13:00:04.000000Z,2026-11-21T13:00", kind: .orderBook)
        let (output, result) = data.view(ViewSamples.request(format: .csv))
        #expect(output == ViewSamples.book)
        let report = try result.get()
        #expect(report.corruptRowCount == 1)
        #expect(report.exitStatus == .dataError)
        let corrupt = try #require(report.corruptRows.first)
        #expect(corrupt.path == path)
        #expect(corrupt.position.lineNumber == 5)
        #expect(corrupt.description.contains("line 5: last line is incomplete"))
    }

    @Test(arguments: [
        ("2026-11-21T13:00:01.000000Z,2026-11-21T13:00:01.000900Z,102,sell,67321.0,0.5,limit,extra", "expected 7 fields, found 8"),
        ("2026-11-21T13:00:01.000000Z,2026-11-21T13:00:01.000900Z,102,short,67321.0,0.5,limit", "bad side \"short\""),
        ("2026-11-21T13:00:01.000000Z,2026-11-21T13:00:01.000900Z,102,sell,6.7e4,0.5,limit", "bad price \"6.7e4\""),
        ("2026-11-21T25:00:01.000000Z,2026-11-21T13:00:01.000900Z,102,sell,67321.0,0.5,limit", "bad timestamp"),
    ])
    func corruptRowInTheMiddleIsSkippedWithItsLine(badRow: String, reason: String) throws {
        let data = try ViewDataDirectory()
        let lines = ViewSamples.tradeFile.split(separator: "\n").map(String.init)
        let text = (lines.prefix(2) + [badRow] + lines.dropFirst(2)).joined(separator: "\n") + "\n"
        try data.write(text, kind: .trades)
        let (output, result) = data.view(ViewSamples.request(trades: true, format: .csv))
        #expect(output == ViewSamples.tradeFile)
        let report = try result.get()
        #expect(report.rowsShown == ViewSamples.trades.count)
        #expect(report.corruptRows.map(\.position.lineNumber) == [3])
        #expect(report.corruptRows.first?.reason.hasPrefix(reason) == true)
    }

    @Test func corruptBookCellIsCaughtInPassThroughCSV() throws {
        let data = try ViewDataDirectory()
        let bad = ViewSamples.bookRows[1].replacingOccurrences(of: "0.75000000", with: "0.75x")
        try data.write(([ViewSamples.bookHeader, ViewSamples.bookRows[0], bad]).joined(separator: "\n") + "\n", kind: .orderBook)
        let (output, result) = data.view(ViewSamples.request(format: .csv))
        #expect(output == ViewSamples.bookHeader + "\n" + ViewSamples.bookRows[0] + "\n")
        #expect(try result.get().corruptRows.first?.reason == "bad number \"0.75x\" in field 8")
    }

    @Test(arguments: OutputFormat.allCases)
    func gzipFileReadsExactlyLikeThePlainOne(format: OutputFormat) throws {
        let plain = try ViewDataDirectory()
        try plain.write(ViewSamples.book, kind: .orderBook)
        let compressed = try ViewDataDirectory()
        try compressed.write(ViewSamples.book, kind: .orderBook, gzip: true)
        let date = try #require(CalendarDate(ViewSamples.day))
        var request = ViewRequest(pair: "BTC-USD", date: date, window: try TimeWindow(from: "13:00:01", to: nil, on: date))
        request.format = format
        let (plainOutput, _) = plain.view(request)
        let (gzipOutput, gzipResult) = compressed.view(request)
        #expect(try gzipResult.get().rowsShown == 2)
        #expect(gzipOutput == plainOutput)
    }

    @Test func unknownPairListsThePairsThatExist() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.book, pair: "BTC-USD", kind: .orderBook)
        try data.write(ViewSamples.book, pair: "ETH-USD", kind: .orderBook)
        var request = ViewSamples.request()
        request.pair = "SOL-USD"
        let (_, result) = data.view(request)
        let expected = ViewError.unknownPair(pair: "SOL-USD", dataDirectory: data.root, availablePairs: ["BTC-USD", "ETH-USD"])
        #expect(throws: expected) { try result.get() }
        #expect(expected.description.hasSuffix("pairs on disk: BTC-USD, ETH-USD"))
    }

    @Test func missingDayListsTheDaysThatExist() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.book, kind: .orderBook, date: "2026-11-19", gzip: true)
        try data.write(ViewSamples.book, kind: .orderBook, date: "2026-11-20")
        let (_, result) = data.view(ViewSamples.request())
        #expect(throws: ViewError.noFileForDay(
            pair: "BTC-USD", kind: .orderBook, date: "2026-11-21", availableDates: ["2026-11-19", "2026-11-20"], otherStream: nil
        )) { try result.get() }
    }

    @Test func windowWithoutRowsIsNoData() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.book, kind: .orderBook)
        let date = try #require(CalendarDate(ViewSamples.day))
        let request = ViewRequest(pair: "XBT-USD", date: date, window: try TimeWindow(from: "14:00", to: nil, on: date))
        let (_, result) = data.view(request)
        #expect(throws: ViewError.noMatchingRows(pair: "BTC-USD", date: ViewSamples.day)) { try result.get() }
    }

    @Test func foreignFileIsRejectedByItsHeader() throws {
        let data = try ViewDataDirectory()
        let path = try data.write("a,b,c\n1,2,3\n", kind: .trades)
        let (_, result) = data.view(ViewSamples.request(trades: true))
        #expect(throws: ViewError.unexpectedHeader(path: path, found: "a,b,c")) { try result.get() }
    }

    @Test func damagedGzipShowsWhatItCanThenSaysWhy() throws {
        let data = try ViewDataDirectory()
        let path = try data.write(String(repeating: ViewSamples.book, count: 1), kind: .orderBook, gzip: true)
        // Cut the compressed file short: the gzip trailer and part of the data are gone.
        let bytes = try #require(FileManager.default.contents(atPath: path))
        try bytes.prefix(bytes.count - 20).write(to: URL(fileURLWithPath: path))
        let (_, result) = data.view(ViewSamples.request(format: .csv))
        switch result {
        case let .failure(error):
            guard case .corruptCompressedFile = error else {
                Issue.record("unexpected error \(error)")
                return
            }
        case let .success(report):
            #expect(report.corruptRowCount > 0)
        }
    }
}

import Foundation
