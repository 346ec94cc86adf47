import Testing
@testable import BytebitCore

@Suite struct StorageFormatTests {
    static func level(_ price: String, _ qty: String) -> PriceLevel {
        PriceLevel(price: ExactDecimal(price) ?? ExactDecimal(units: -1, scale: 0), qty: ExactDecimal(qty) ?? ExactDecimal(units: -1, scale: 0))
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func headerForOneLevel() {
        #expect(Self.text(OrderBookCSV.header(levels: 1))
            == "timestamp,received_at,best_bid_qty,best_bid_price,mid_price,best_ask_qty,best_ask_price\n")
    }

    @Test func headerForThreeLevels() {
        #expect(Self.text(OrderBookCSV.header(levels: 3)) == "timestamp,received_at,3rd_bid_qty,3rd_bid_price,"
            + "2nd_bid_qty,2nd_bid_price,best_bid_qty,best_bid_price,mid_price,best_ask_qty,best_ask_price,"
            + "2nd_ask_qty,2nd_ask_price,3rd_ask_qty,3rd_ask_price\n")
    }

    @Test func headerForTwentyFiveLevelsUsesEnglishOrdinals() {
        let columns = Self.text(OrderBookCSV.header(levels: 25)).dropLast().split(separator: ",").map(String.init)
        #expect(columns.count == 2 + 25 * 4 + 1)
        #expect(columns[2] == "25th_bid_qty")
        #expect(columns.contains("21st_ask_price"))
        #expect(columns.contains("22nd_bid_qty"))
        #expect(columns.contains("23rd_ask_qty"))
        #expect(columns.contains("11th_bid_qty"))
        #expect(columns.contains("12th_ask_qty"))
        #expect(columns.contains("13th_ask_price"))
        #expect(columns[52] == "mid_price")
        #expect(columns.last == "25th_ask_price")
    }

    @Test(arguments: [(1, "best"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
                      (21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st"), (111, "111th"), (112, "112th")])
    func ordinals(level: Int, name: String) {
        #expect(OrderBookColumns.ordinal(ofLevel: level) == name)
    }

    @Test(arguments: [("100.1", "100.2", "100.15"), ("100.0", "100.2", "100.10"), ("67321.1", "67321.2", "67321.15"),
                      ("0.10000000", "0.10000001", "0.100000005"), ("5", "6", "5.5"), ("99.9", "100", "99.95"),
                      ("100", "102", "101.0"), ("10234485", "10234486", "10234485.5")])
    func midPriceIsExact(bid: String, ask: String, mid: String) throws {
        let askPrice = try #require(ExactDecimal(ask))
        let midpoint = try #require(ExactDecimal(bid)?.midpoint(with: askPrice))
        #expect(midpoint.description == mid)
    }

    @Test func rowRunsBidsDeepestFirstAndLeavesMissingCellsEmpty() throws {
        let time = try #require(UTCTimestamp("2026-11-21T12:00:00.5Z"))
        let received = try #require(UTCTimestamp("2026-11-21T12:00:00.500123Z"))
        var bytes: [UInt8] = []
        let bids = [Self.level("100.1", "0.50000000"), Self.level("100.0", "1.00000000")]
        let asks = [Self.level("100.2", "0.10000000")]
        OrderBookCSV.appendRow(to: &bytes, timestamp: time, receivedAt: received, bids: bids[...], asks: asks[...], levels: 3)
        #expect(Self.text(bytes) == "2026-11-21T12:00:00.500000Z,2026-11-21T12:00:00.500123Z,,,1.00000000,100.0,"
            + "0.50000000,100.1,100.15,0.10000000,100.2,,,,\n")
        let columns = Self.text(OrderBookCSV.header(levels: 3)).split(separator: ",", omittingEmptySubsequences: false)
        #expect(Self.text(bytes).split(separator: ",", omittingEmptySubsequences: false).count == columns.count)
    }

    @Test func emptySideLeavesMidPriceEmpty() throws {
        let time = try #require(UTCTimestamp("2026-11-21T12:00:00Z"))
        var bytes: [UInt8] = []
        OrderBookCSV.appendRow(to: &bytes, timestamp: time, receivedAt: time, bids: [Self.level("5", "1")][...],
                               asks: [PriceLevel]()[...], levels: 1)
        #expect(Self.text(bytes) == "2026-11-21T12:00:00.000000Z,2026-11-21T12:00:00.000000Z,1,5,,,\n")
    }

    @Test func tradeRowMatchesTheSpec() throws {
        let time = try #require(UTCTimestamp("2026-11-21T12:00:00.123456Z"))
        var bytes: [UInt8] = []
        TradeCSV.appendRow(to: &bytes, timestamp: time, receivedAt: time, tradeID: 4_665_906, side: "buy",
                           price: try #require(ExactDecimal("67321.1")), qty: try #require(ExactDecimal("0.00100000")),
                           orderType: "market")
        #expect(Self.text(bytes) == "2026-11-21T12:00:00.123456Z,2026-11-21T12:00:00.123456Z,4665906,buy,67321.1,0.00100000,market\n")
        #expect(Self.text(TradeCSV.header) == "timestamp,received_at,trade_id,side,price,qty,ord_type\n")
    }

    @Test(arguments: [("plain text", "plain text"), ("a, b", "\"a, b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
                      ("two\nlines", "\"two\nlines\"")])
    func eventDetailIsQuotedOnlyWhenNeeded(detail: String, field: String) throws {
        let time = try #require(UTCTimestamp("2026-11-21T00:00:00Z"))
        var bytes: [UInt8] = []
        EventCSV.appendRow(to: &bytes, timestamp: time, event: "rejected", detail: detail)
        #expect(Self.text(bytes) == "2026-11-21T00:00:00.000000Z,rejected,\(field)\n")
    }

    @Test(arguments: ["orderbook_data_2026-11-21.csv", "trade_data_2026-11-21.csv.gz", "events_2026-11-21.2.csv"])
    func fileNamesRoundTrip(name: String) throws {
        let kind = try #require(DataFileKind.allCases.first { name.hasPrefix($0.fileStem) })
        let parsed = try #require(DailyFileName(parsing: name, kind: kind))
        #expect(parsed.fileName == name)
        #expect(parsed.date == "2026-11-21")
        #expect(DailyFileName(parsing: name + ".tmp", kind: kind) == nil)
    }
}
