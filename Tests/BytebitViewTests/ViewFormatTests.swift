import Testing
@testable import BytebitView
import BytebitCore

/// Exact output of each format, for the order book and for trades, from hand-made files.
@Suite struct ViewFormatTests {
    @Test func bookTableShowsBestLevelsSpreadBasisPointsAndMid() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.book, kind: .orderBook)
        let (output, result) = data.view(ViewSamples.request())
        #expect(try result.get().rowsShown == 3)
        // bps = spread / mid × 10⁴: 0.1/67321.05 → 0.0149, 0.2/67321.1 → 0.0297, 0.3/67321.15 → 0.0446.
        #expect(output == """
            time                bid qty      bid      ask     ask qty  spread   bps       mid
            13:00:00.000000  0.25000000  67321.0  67321.1  1.00000000     0.1  0.01  67321.05
            13:00:01.500000  0.30000000  67321.0  67321.2  0.75000000     0.2  0.03   67321.1
            13:00:03.000000  0.30000000  67321.0  67321.3  0.75000000     0.3  0.04  67321.15

            """)
    }

    @Test func narrowTerminalDropsTheLeastImportantColumnsFirst() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.book, kind: .orderBook)
        var request = ViewSamples.request()
        request.limit = 1
        let (output, _) = data.view(request, width: 51)
        #expect(output == """
            time                 bid      ask  spread       mid
            13:00:00.000000  67321.0  67321.1     0.1  67321.05

            """)
        for line in output.split(separator: "\n") { #expect(line.count <= 51) }
    }

    @Test func bookLadderShowsRequestedLevels() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.book, kind: .orderBook)
        var request = ViewSamples.request()
        request.levels = 2
        request.tail = 2
        let (output, _) = data.view(request)
        #expect(output == """
            13:00:01.500000  spread 0.2 (0.03 bps)  mid 67321.1
               bid qty      bid      ask     ask qty
            0.30000000  67321.0  67321.2  0.75000000
            0.50000000  67320.9  67321.3  2.00000000

            13:00:03.000000  spread 0.3 (0.04 bps)  mid 67321.15
            0.30000000  67321.0  67321.3  0.75000000

            """)
    }

    @Test func bookCSVKeepsTheSpecColumnsAndRowsAsWritten() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.book, kind: .orderBook)
        let (output, _) = data.view(ViewSamples.request(format: .csv))
        #expect(output == ViewSamples.book)
    }

    @Test func bookCSVWithFewerLevelsUsesTheSpecLayoutForThatManyLevels() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.book, kind: .orderBook)
        var request = ViewSamples.request(format: .csv)
        request.levels = 1
        request.limit = 1
        let (output, _) = data.view(request)
        #expect(output == """
            timestamp,received_at,best_bid_qty,best_bid_price,mid_price,best_ask_qty,best_ask_price
            2026-11-21T13:00:00.000000Z,2026-11-21T13:00:00.001000Z,0.25000000,67321.0,67321.05,1.00000000,67321.1

            """)
    }

    @Test func bookJSONIsOneObjectPerLineWithExactNumbers() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.book, kind: .orderBook)
        var request = ViewSamples.request(format: .json)
        request.levels = 2
        request.tail = 1
        let (output, _) = data.view(request)
        #expect(output == """
            {"timestamp":"2026-11-21T13:00:03.000000Z","received_at":"2026-11-21T13:00:03.001000Z",\
            "best_bid_price":67321.0,"best_bid_qty":0.30000000,"best_ask_price":67321.3,"best_ask_qty":0.75000000,\
            "mid_price":67321.15,"spread":0.3,"bids":[[67321.0,0.30000000]],"asks":[[67321.3,0.75000000]]}

            """)
    }

    @Test func tradeTableShowsSidePriceQtyAndNotional() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.tradeFile, kind: .trades)
        var request = ViewSamples.request(trades: true)
        request.limit = 2
        let (output, _) = data.view(request)
        // notional = price × qty, exact: 67321.1 × 0.01 and 67321.0 × 0.5.
        #expect(output == """
            time             side    price         qty         notional
            13:00:00.250000  buy   67321.1  0.01000000    673.211000000
            13:00:01.000000  sell  67321.0  0.50000000  33660.500000000

            """)
    }

    @Test func tradeCSVKeepsTheSpecColumns() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.tradeFile, kind: .trades)
        let (output, _) = data.view(ViewSamples.request(trades: true, format: .csv))
        #expect(output == ViewSamples.tradeFile)
    }

    @Test func tradeJSONCarriesEveryColumnAndTheNotional() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.tradeFile, kind: .trades)
        var request = ViewSamples.request(trades: true, format: .json)
        request.tail = 1
        let (output, _) = data.view(request)
        #expect(output == """
            {"timestamp":"2026-11-21T13:00:04.000000Z","received_at":"2026-11-21T13:00:04.000900Z","trade_id":105,\
            "side":"buy","price":67321.2,"qty":0.20000000,"ord_type":"limit","notional":13464.240000000}

            """)
    }

    @Test(arguments: [
        (TradeFilter(side: .sell), [102, 104]),
        (TradeFilter(minimumQty: ExactDecimal("0.2")), [102, 103, 105]),
        (TradeFilter(minimumPrice: ExactDecimal("67321.1"), maximumPrice: ExactDecimal("67321.2")), [101, 105]),
        (TradeFilter(side: .buy, minimumQty: ExactDecimal("0.5")), [103]),
    ])
    func tradeFiltersKeepOnlyMatchingTrades(filter: TradeFilter, expectedIDs: [Int]) throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.tradeFile, kind: .trades)
        var request = ViewSamples.request(trades: true, format: .csv)
        request.tradeFilter = filter
        let (output, _) = data.view(request)
        let ids = output.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[2] }.compactMap { Int($0) }
        #expect(ids == expectedIDs)
    }

    @Test func colourAppearsOnlyWhenTheStyleAllowsIt() throws {
        let data = try ViewDataDirectory()
        try data.write(ViewSamples.tradeFile, kind: .trades)
        var request = ViewSamples.request(trades: true)
        request.limit = 1
        let output = ViewOutput()
        let coloured = ViewRunner(dataDirectory: data.directory, style: TerminalStyle(width: 200, usesColour: true))
        _ = try coloured.run(request, output: output)
        #expect(output.text.contains("\u{1B}[32mbuy\u{1B}[0m"))
        let (plain, _) = data.view(request)
        #expect(!plain.contains("\u{1B}["))
    }
}
