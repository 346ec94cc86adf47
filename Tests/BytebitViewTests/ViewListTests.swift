import Testing
@testable import BytebitView
import BytebitCore

/// `bytebit list`: pairs and days on disk with sizes, rows, first/last time and gaps.
@Suite struct ViewListTests {
    @Test func listsEveryPairAndDayWithRowsTimesAndGaps() throws {
        let data = try ViewDataDirectory()
        let bookPath = try data.write(ViewSamples.book, kind: .orderBook)
        try data.write(ViewSamples.tradeFile, kind: .trades, gzip: true)
        try data.write(ViewSamples.events, kind: .events)
        try data.write(ViewSamples.tradeFile, pair: "ETH-USD", kind: .trades, date: "2026-11-20")
        let entries = try DayListing.entries(in: data.directory)
        #expect(entries.map { "\($0.pair) \($0.date)" } == ["BTC-USD 2026-11-21", "ETH-USD 2026-11-20"])
        let btc = try #require(entries.first)
        #expect(btc.orderbook?.rows == ViewSamples.bookRows.count)
        #expect(btc.orderbook?.size == Int64(ViewSamples.book.utf8.count))
        #expect(btc.orderbook?.paths == [bookPath])
        #expect(btc.trades?.rows == ViewSamples.trades.count)
        #expect(btc.first?.description == "2026-11-21T13:00:00.000000Z")
        #expect(btc.last?.description == ViewSamples.trades.last?.0)
        #expect(btc.gapCount == 3)
        #expect(entries.last?.orderbook == nil)
        #expect(entries.last?.gapCount == nil)

        let csv = DayListing.render(entries, format: .csv, style: TerminalStyle(width: 200, usesColour: false))
        let tradeSize = try #require(btc.trades?.size)
        #expect(csv == """
            pair,date,orderbook_rows,orderbook_bytes,trade_rows,trade_bytes,first,last,gaps
            BTC-USD,2026-11-21,3,\(ViewSamples.book.utf8.count),5,\(tradeSize),2026-11-21T13:00:00.000000Z,2026-11-21T13:00:04.000000Z,3
            ETH-USD,2026-11-20,,,5,\(ViewSamples.tradeFile.utf8.count),2026-11-21T13:00:00.250000Z,2026-11-21T13:00:04.000000Z,

            """)
    }

    @Test func pairAndDateRangeNarrowTheList() throws {
        let data = try ViewDataDirectory()
        for date in ["2026-11-19", "2026-11-20", "2026-11-21"] {
            try data.write(ViewSamples.book, kind: .orderBook, date: date)
            try data.write(ViewSamples.book, pair: "ETH-USD", kind: .orderBook, date: date)
        }
        let entries = try DayListing.entries(
            in: data.directory, pair: "ETH-USD", from: CalendarDate("2026-11-20"), to: CalendarDate("2026-11-20")
        )
        #expect(entries.map { "\($0.pair) \($0.date)" } == ["ETH-USD 2026-11-20"])
        #expect(throws: ViewError.unknownPair(pair: "SOL-USD", dataDirectory: data.root, availablePairs: ["BTC-USD", "ETH-USD"])) {
            try DayListing.entries(in: data.directory, pair: "SOL-USD")
        }
    }
}
