import Foundation
import Testing
@testable import BytebitView
import BytebitCore

/// Time windows: parsing `--from`/`--to`, and the byte-offset binary search on plain files.
@Suite struct ViewWindowTests {
    @Test(arguments: [
        ("13", "2026-11-21T13:00:00.000000Z"),
        ("13:05", "2026-11-21T13:05:00.000000Z"),
        ("9:5:7", "2026-11-21T09:05:07.000000Z"),
        ("13:05:30.25", "2026-11-21T13:05:30.250000Z"),
        ("2026-11-21T23:59:59.999999Z", "2026-11-21T23:59:59.999999Z"),
        ("24:00", "2026-11-22T00:00:00.000000Z"),
    ])
    func timesOfDayAndTimestampsAreAccepted(text: String, expected: String) throws {
        let date = try #require(CalendarDate("2026-11-21"))
        #expect(try TimeWindow.instant(text, name: "--from", on: date).description == expected)
    }

    @Test(arguments: ["25:00", "13:60", "noon", "13:00:00:00", ""])
    func nonsenseTimesAreRejected(text: String) throws {
        let date = try #require(CalendarDate("2026-11-21"))
        #expect(throws: ViewError.self) { try TimeWindow.instant(text, name: "--from", on: date) }
    }

    @Test func toMustFollowFrom() throws {
        let date = try #require(CalendarDate("2026-11-21"))
        #expect(throws: ViewError.self) { try TimeWindow(from: "13:05", to: "13:00", on: date) }
    }

    @Test func relativeDatesAreUTC() throws {
        let now = try #require(UTCTimestamp("2026-11-21T00:30:00Z"))
        #expect(try CalendarDate(option: "today", now: now).description == "2026-11-21")
        #expect(try CalendarDate(option: "yesterday", now: now).description == "2026-11-20")
        #expect(throws: ViewError.self) { try CalendarDate(option: "2026-02-30", now: now) }
    }

    /// 50,000 trades (≈ 4 MB), built once for every test of the suite.
    private static let sample = largeTradeFile(rows: 50_000)

    /// Trades every 7 ms from 00:00 (≈ 100 KB per 1,300 rows).
    private static func largeTradeFile(rows: Int) -> (text: String, lines: [String]) {
        var lines: [String] = []
        lines.reserveCapacity(rows)
        let start = UTCTimestamp("2026-11-21T00:00:00Z")?.microseconds ?? 0
        for index in 0..<rows {
            let time = UTCTimestamp(microsecondsSince1970: start + Int64(index) * 7_000 + Int64(index % 3))
            lines.append("\(time),\(time),\(index),\(index % 2 == 0 ? "buy" : "sell"),67321.\(index % 10),0.0000\(index % 97 + 100),limit")
        }
        return ((["timestamp,received_at,trade_id,side,price,qty,ord_type"] + lines).joined(separator: "\n") + "\n", lines)
    }

    @Test(arguments: [
        ("00:00:00", "00:00:00.007"), ("00:01:10", "00:01:11"), ("00:03:00.0035", "00:03:30"),
        ("00:05:49.986", "24:00"), ("00:05:49.987", "24:00"), ("12:00", "13:00"),
    ])
    func windowSearchFindsExactlyTheRowsABruteForceFilterFinds(from: String, to: String) throws {
        let data = try ViewDataDirectory()
        let (text, lines) = Self.sample
        try data.write(text, kind: .trades)
        try data.write(text, pair: "ETH-USD", kind: .trades, gzip: true)
        let date = try #require(CalendarDate("2026-11-21"))
        let window = try TimeWindow(from: from, to: to, on: date)
        let expected = lines.filter { line in
            UTCTimestamp(line.prefix(27)).map(window.contains) ?? false
        }
        var request = ViewRequest(pair: "BTC-USD", date: date, window: window)
        request.showsTrades = true
        request.format = .csv
        let (plainOutput, plainResult) = data.view(request)
        request.pair = "ETH-USD"
        let (gzipOutput, _) = data.view(request)
        if expected.isEmpty {
            #expect(throws: ViewError.self) { try plainResult.get() }
        } else {
            let header = "timestamp,received_at,trade_id,side,price,qty,ord_type\n"
            #expect(plainOutput == header + expected.joined(separator: "\n") + "\n")
            #expect(gzipOutput == plainOutput)
        }
    }

    @Test func windowSearchLandsAtOrBeforeTheFirstRowAndCloseToIt() throws {
        let data = try ViewDataDirectory()
        let (text, lines) = Self.sample
        let path = try data.write(text, kind: .trades)
        let target = try #require(UTCTimestamp(String(lines[40_000].prefix(27))))
        let headerEnd = Int64(ViewSamples.tradeHeader.utf8.count + 1)
        let offset = try WindowSearch.offset(ofFirstRowAtOrAfter: target, path: path, dataStart: headerEnd)
        let exact = Int64(text.utf8.count) - Int64(lines[40_000...].reduce(0) { $0 + $1.utf8.count + 1 })
        #expect(offset <= exact)
        #expect(exact - offset <= 64 * 1024)
        #expect(offset > headerEnd)
    }

    @Test(arguments: [
        (3, TradeFilter(), nil as String?),
        (2_000, TradeFilter(), "12:00"),
        (5, TradeFilter(side: .sell, minimumQty: ExactDecimal("0.0000196")), nil),
        (40, TradeFilter(minimumPrice: ExactDecimal("67321.9")), "00:00:01"),
    ])
    func tailReadsTheFileEndAndStillFindsTheLastMatchingRows(count: Int, filter: TradeFilter, to: String?) throws {
        let data = try ViewDataDirectory()
        let (text, lines) = Self.sample
        try data.write(text, kind: .trades)
        let date = try #require(CalendarDate("2026-11-21"))
        let window = try TimeWindow(from: nil, to: to, on: date)
        var request = ViewRequest(pair: "BTC-USD", date: date, window: window)
        request.showsTrades = true
        request.format = .csv
        request.tail = count
        request.tradeFilter = filter
        let matching = lines.filter { line in
            let parts = line.split(separator: ",").map(String.init)
            guard let time = UTCTimestamp(parts[0]), window.contains(time),
                  let price = ExactDecimal(parts[4]), let qty = ExactDecimal(parts[5]) else { return false }
            if let side = filter.side, parts[3] != side.rawValue { return false }
            if let minimum = filter.minimumQty, qty < minimum { return false }
            if let minimum = filter.minimumPrice, price < minimum { return false }
            return true
        }
        #expect(!matching.isEmpty)
        let (output, _) = data.view(request)
        let header = "timestamp,received_at,trade_id,side,price,qty,ord_type\n"
        #expect(output == header + matching.suffix(count).joined(separator: "\n") + "\n")
    }
}
