import Testing

@testable import BytebitCore

@Suite struct KrakenDecoderTests {
    private func decode(_ frame: String) throws -> KrakenMessage {
        var decoder = KrakenDecoder()
        return try decoder.decode(frame)
    }

    @Test(arguments: [
        ("status_online_2_0_10", "online", UInt64(12_072_546_403_441_331_453)),
        ("status_online_2_0_10_with_maintenance_fields", "online", UInt64(7_734_965_360_043_499_011)),
        ("status_online_2_0_4", "online", UInt64(18_266_300_427_528_990_701)),
    ])
    func statusKeepsConnectionIDsAboveInt64Max(id: String, system: String, connectionID: UInt64) throws {
        let message = try decode(try KrakenFixture.liveFrame(id))
        #expect(message == .status(system: system, connectionID: connectionID))
    }

    @Test func maintenanceStatusHasNoConnectionID() throws {
        let message = try decode(try KrakenFixture.liveFrame("status_maintenance_2_0_6"))
        #expect(message == .status(system: "maintenance", connectionID: nil))
    }

    @Test func heartbeat() throws {
        #expect(try decode(try KrakenFixture.liveFrame("heartbeat")) == .heartbeat)
    }

    @Test func pongEchoesTheRequestID() throws {
        let frame =
            #"{"method":"pong","req_id":101,"time_in":"2023-09-24T14:10:23.799685Z","time_out":"2023-09-24T14:10:23.799703Z"}"#
        #expect(try decode(frame) == .pong(reqID: 101))
        #expect(try decode(#"{"method":"pong"}"#) == .pong(reqID: nil))
    }

    @Test func subscribeAcknowledgement() throws {
        let message = try decode(try KrakenFixture.liveFrame("ethbtc_subscribe_ack"))
        #expect(
            message
                == .subscribed(
                    KrakenAck(method: "subscribe", success: true, channel: "book", symbol: "ETH/BTC", depth: 10)))
    }

    @Test func acknowledgementWarningsAreKept() throws {
        guard case .subscribed(let ack) = try decode(try KrakenFixture.liveFrame("ohlc_subscribe_ack_with_warning"))
        else {
            Issue.record("not an ack")
            return
        }
        #expect(ack.channel == "ohlc")
        #expect(ack.warnings == ["timestamp is deprecated, use interval_begin"])
    }

    @Test(arguments: [
        ("subscribe_rejected_xbt", "XBT/USD", "Currency pair not supported XBT/USD", Int64?.none),
        ("subscribe_rejected_unknown_with_req_id", "WWW/USD", "Currency pair not supported WWW/USD", Int64?.some(0)),
        ("subscribe_error_session", nil, "ESession:Invalid session", Int64?.some(42)),
    ])
    func rejectionsCarryKrakensErrorText(id: String, symbol: String?, error: String, reqID: Int64?) throws {
        let message = try decode(try KrakenFixture.liveFrame(id))
        #expect(
            message
                == .subscribed(
                    KrakenAck(method: "subscribe", success: false, symbol: symbol, error: error, reqID: reqID)))
    }

    @Test func unsubscribeAcknowledgement() throws {
        let frame =
            #"{"method":"unsubscribe","result":{"channel":"book","depth":10,"snapshot":true,"symbol":"ALGO/USD"},"success":true,"time_in":"2023-10-06T17:35:55.219022Z","time_out":"2023-10-06T17:35:55.219067Z"}"#
        #expect(
            try decode(frame)
                == .unsubscribed(
                    KrakenAck(method: "unsubscribe", success: true, channel: "book", symbol: "ALGO/USD", depth: 10)))
    }

    @Test func unknownChannelsAndMethodsAreIgnoredByName() throws {
        #expect(
            try decode(#"{"channel":"level3","type":"update","data":[{"symbol":"BTC/USD","bids":[]}]}"#)
                == .ignored(channel: "level3"))
        #expect(
            try decode(#"{"method":"add_order","success":true,"result":{"order_id":"X"}}"#)
                == .ignored(channel: "add_order"))
    }

    @Test func tradeSnapshotAndUpdate() throws {
        guard case .trades(let snapshot) = try decode(try KrakenFixture.liveFrame("trade_snapshot_btcusd_2024")) else {
            Issue.record("not trades")
            return
        }
        #expect(snapshot.isSnapshot)
        let first = try #require(snapshot.trades.first)
        #expect(
            first
                == KrakenTrade(
                    symbol: "BTC/USD", side: .sell, price: try #require(ExactDecimal("68466.9")),
                    qty: try #require(ExactDecimal("0.01919415")), ordType: "market", tradeID: 70_635_251,
                    timestamp: try #require(UTCTimestamp("2024-05-27T12:33:10.826003Z"))))
        #expect(snapshot.trades.count >= 2)
        #expect(snapshot.trades[1].side == .buy && snapshot.trades[1].qty.description == "0.00007723")

        guard case .trades(let update) = try decode(try KrakenFixture.liveFrame("trade_update_btcusd_2024")) else {
            Issue.record("not trades")
            return
        }
        #expect(!update.isSnapshot)
        #expect(update.trades.count > 1)
        #expect(update.trades.first?.price.description == "68500.0")
        #expect(update.trades.map(\.tradeID) == update.trades.map(\.tradeID).sorted())
    }

    @Test func instrumentSnapshotWith683Pairs() throws {
        let bytes = [UInt8](try KrakenFixture.data("kraken-data-recorder_instrument_snapshot.json"))
        var decoder = KrakenDecoder()
        guard case .instrument(let message) = try decoder.decode(bytes) else {
            Issue.record("not an instrument message")
            return
        }
        #expect(message.isSnapshot)
        #expect(message.pairs.count == 683)
        let bySymbol = Dictionary(message.pairs.map { ($0.symbol, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(
            bySymbol["BTC/USD"]
                == KrakenInstrumentPair(symbol: "BTC/USD", pricePrecision: 1, qtyPrecision: 8, status: "online"))
        #expect(bySymbol["ETH/BTC"]?.pricePrecision == 5)
        #expect(message.pairs.filter { $0.status == "online" }.count == 672)
        #expect(message.pairs.allSatisfy { $0.qtyPrecision == 5 || $0.qtyPrecision == 8 })
    }

    @Test func instrumentUpdateWithExponentsAndAnObjectData() throws {
        let frame =
            #"{"channel":"instrument","type":"update","data":{"assets":[{"id":"BTC","margin_rate":1E-8}],"pairs":[{"symbol":"ETH/BTC","qty_increment":1E-8,"price_precision":6,"qty_precision":8,"status":"online","cost_min":2.5e+1}]}}"#
        #expect(
            try decode(frame)
                == .instrument(
                    KrakenInstrumentMessage(
                        isSnapshot: false,
                        pairs: [
                            KrakenInstrumentPair(
                                symbol: "ETH/BTC", pricePrecision: 6, qtyPrecision: 8, status: "online")
                        ])))
    }

    @Test func keysInAnyOrderWhitespaceAndStringNumbers() throws {
        let frame = """
             { "data" : [ { "timestamp":"2023-10-06T17:35:55.440295Z", "checksum" : 42,
                "asks":[ {"qty":"0.10000000","price":"45285.2","extra":{"a":[1,2,{"b":null}]}} ],
                "unknown": "\\u00e9\\n", "symbol":"BTC\\/USD", "bids":[] } ],
               "type":"snapshot", "channel":"book" }\r\n
            """
        let message = try decode(frame)
        let expected = KrakenBookMessage(
            isSnapshot: true, symbol: "BTC/USD", bids: [],
            asks: [
                PriceLevel(price: try #require(ExactDecimal("45285.2")), qty: try #require(ExactDecimal("0.10000000")))
            ],
            checksum: 42, timestamp: UTCTimestamp("2023-10-06T17:35:55.440295Z"))
        #expect(message == .book([expected]))
        guard case .book(let entries) = message else { return }
        #expect(entries.first?.asks.first?.qty.scale == 8)
    }

    @Test func everyDataEntryIsReturned() throws {
        let frame =
            #"{"channel":"book","type":"update","data":[{"symbol":"A/USD","bids":[{"price":1.5,"qty":2.0}],"asks":[],"checksum":1},{"symbol":"B/USD","bids":[],"asks":[{"price":3.25,"qty":0.00000000}],"checksum":4294967295,"timestamp":"2026-08-26T15:16:16.730423Z"}]}"#
        guard case .book(let entries) = try decode(frame) else {
            Issue.record("not book")
            return
        }
        #expect(entries.map(\.symbol) == ["A/USD", "B/USD"])
        #expect(entries.map(\.checksum) == [1, 4_294_967_295])
        #expect(entries[0].bids.map(\.price.description) == ["1.5"])
        #expect(entries[1].asks.map(\.qty.description) == ["0.00000000"])
        #expect(entries.allSatisfy { !$0.isSnapshot })
    }

    @Test func reusedDecoderDoesNotLeakLevelsBetweenFrames() throws {
        var decoder = KrakenDecoder()
        let first = try decoder.decode(
            #"{"channel":"book","type":"update","data":[{"symbol":"A/USD","bids":[{"price":1.5,"qty":2.0}],"asks":[],"checksum":1}]}"#
        )
        let second = try decoder.decode(
            #"{"channel":"book","type":"update","data":[{"symbol":"A/USD","bids":[],"asks":[{"price":9.5,"qty":1.0}],"checksum":2}]}"#
        )
        guard case .book(let a) = first, case .book(let b) = second else {
            Issue.record("not book")
            return
        }
        // The first message, still held, is untouched by the second decode.
        #expect(a.first?.bids.map(\.price.description) == ["1.5"])
        #expect(a.first?.asks.isEmpty == true)
        #expect(b.first?.bids.isEmpty == true)
        #expect(b.first?.asks.map(\.price.description) == ["9.5"])
    }

    /// The decoder reads each entry into its own entry at that index (`parseBookData`): a frame with
    /// fewer entries than the last has only its own, a frame that failed part way leaves nothing
    /// behind in the next one, and every field (the type too) is the new frame's.
    @Test func reusedEntriesCarryNothingOverFromEarlierFrames() throws {
        var decoder = KrakenDecoder()
        _ = try decoder.decode(
            #"{"channel":"book","type":"snapshot","data":[{"symbol":"A/USD","bids":[{"price":1.5,"qty":2.0},{"price":1.4,"qty":1.0}],"asks":[{"price":1.6,"qty":3.0}],"checksum":1,"timestamp":"2026-08-26T15:16:16.730423Z"},{"symbol":"B/USD","bids":[],"asks":[{"price":3.25,"qty":1.0}],"checksum":2}]}"#
        )
        // Fails in its second level, after the first entry's bids were read into the reused entry.
        #expect(throws: KrakenDecodeError.self) {
            try decoder.decode(
                #"{"channel":"book","type":"update","data":[{"symbol":"C/USD","bids":[{"price":7.5,"qty":1.0},{"price":"x","qty":1.0}],"asks":[],"checksum":3}]}"#
            )
        }
        guard case .book(let entries) = try decoder.decode(
            #"{"channel":"book","type":"update","data":[{"symbol":"A/USD","asks":[{"price":1.7,"qty":0}],"checksum":4}]}"#
        ) else {
            Issue.record("not book")
            return
        }
        #expect(entries.count == 1)
        #expect(entries.first?.symbol == "A/USD")
        #expect(entries.first?.bids.isEmpty == true)
        #expect(entries.first?.asks.map(\.price.description) == ["1.7"])
        #expect(entries.first?.checksum == 4)
        #expect(entries.first?.timestamp == nil)
        #expect(entries.first?.isSnapshot == false)
    }
}
