import Testing

@testable import BytebitCore

/// The decoder reads Kraken's own layout (`{"channel":…,"type":…,"data":[{"symbol":…,"bids":[{"price":…,
/// "qty":…}],…}]}`, no whitespace) by matching whole key literals, and falls back to scanning keys
/// wherever a frame differs. Both ways must decode the same message, and a frame that differs part
/// way through (a space, another order, an extra or repeated field) must not lose or mix a field.
@Suite struct KrakenLayoutFastPathTests {
    private static let compact =
        #"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":60000.1,"qty":0.50000000},{"price":59999.9,"qty":0}],"asks":[{"price":60001.0,"qty":1.25000000}],"checksum":123456789,"timestamp":"2026-11-21T13:00:00.123456Z"}]}"#

    /// The same message written every other way (the general path for part or all of it).
    private static let variants = [
        // Whitespace everywhere.
        #"{ "channel" : "book", "type" : "update", "data" : [ { "symbol" : "BTC/USD", "bids" : [ { "price" : 60000.1, "qty" : 0.50000000 }, { "price" : 59999.9, "qty" : 0 } ], "asks" : [ { "price" : 60001.0, "qty" : 1.25000000 } ], "checksum" : 123456789, "timestamp" : "2026-11-21T13:00:00.123456Z" } ] }"#,
        // Keys in another order at every level.
        #"{"data":[{"timestamp":"2026-11-21T13:00:00.123456Z","checksum":123456789,"asks":[{"qty":1.25000000,"price":60001.0}],"bids":[{"qty":0.50000000,"price":60000.1},{"qty":0,"price":59999.9}],"symbol":"BTC/USD"}],"type":"update","channel":"book"}"#,
        // Kraken's order, differing part way: an extra field in a level, after the type, in the entry.
        #"{"channel":"book","type":"update","extra":[1,{"a":"b"}],"data":[{"symbol":"BTC/USD","bids":[{"price":60000.1,"qty":0.50000000,"x":true},{"price":59999.9,"qty":0}],"asks":[{"price":60001.0,"qty":1.25000000}],"note":null,"checksum":123456789,"timestamp":"2026-11-21T13:00:00.123456Z"}]}"#,
        // A space after one level's price, a repeated qty (the last one counts), a quoted number.
        #"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":60000.1 ,"qty":0.50000000},{"price":59999.9,"qty":7,"qty":0}],"asks":[{"price":"60001.0","qty":1.25000000}],"checksum":123456789,"timestamp":"2026-11-21T13:00:00.123456Z"}]}"#,
        // The price after the quantity in one level only; the timestamp before the checksum.
        #"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":60000.1,"qty":0.50000000},{"qty":0,"price":59999.9}],"asks":[{"price":60001.0,"qty":1.25000000}],"timestamp":"2026-11-21T13:00:00.123456Z","checksum":123456789}]}"#,
    ]

    @Test func everyLayoutDecodesTheSameMessage() throws {
        var decoder = KrakenDecoder()
        let expected = try decoder.decode(Self.compact)
        guard case .book(let entries) = expected, let entry = entries.first else {
            Issue.record("not a book message: \(expected)")
            return
        }
        #expect(entry.symbol == "BTC/USD" && entry.checksum == 123_456_789 && !entry.isSnapshot)
        #expect(entry.bids.map(\.price.description) == ["60000.1", "59999.9"])
        #expect(entry.bids.map(\.qty.description) == ["0.50000000", "0"])
        #expect(entry.asks.map(\.qty.description) == ["1.25000000"])
        #expect(entry.timestamp == UTCTimestamp("2026-11-21T13:00:00.123456Z"))
        for variant in Self.variants {
            #expect(try decoder.decode(variant) == expected, "\(variant)")
            // And back: the fast path after a general one (the decoder's caches stay right).
            #expect(try decoder.decode(Self.compact) == expected)
        }
    }

    /// Book and trade frames that start exactly as Kraken's (`{"channel":"book","type":"update",
    /// "data":`) are decoded from that prefix without the general header; the same frame after a
    /// leading space takes the general path all the way. Both must give the same message, or both
    /// an error, whatever follows `data`.
    @Test func theFramePrefixPathEqualsTheGeneralPath() throws {
        let book = #"[{"symbol":"BTC/USD","bids":[{"price":60000.1,"qty":0.5}],"asks":[],"checksum":7,"timestamp":"2026-11-21T13:00:00.123456Z"}]"#
        let trade = #"[{"symbol":"BTC/USD","side":"buy","price":60000.1,"qty":0.5,"ord_type":"limit","trade_id":42,"timestamp":"2026-11-21T13:00:00.123456Z"}]"#
        var frames: [String] = []
        for (channel, data) in [("book", book), ("trade", trade)] {
            for type in ["update", "snapshot"] {
                let start = #"{"channel":"\#(channel)","type":"\#(type)","data":\#(data)"#
                frames += [
                    start + "}", start + "}\n ", start + #","extra":[1,{"a":null}]}"#,
                    start + #","type":"snapshot"}"#, start + #","type":"update"}"#, start + #","channel":"heartbeat"}"#,
                    start + "}x", start + "} }", start + ",}", start,
                ]
            }
        }
        frames += [
            #"{"channel":"books","type":"update","data":\#(book)}"#, #"{"channel":"book","type":"updated","data":\#(book)}"#,
            #"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[]}]}"#,
        ]
        var fastPathMessages = 0
        for frame in frames {
            var fast = KrakenDecoder()
            var general = KrakenDecoder()
            if Self.bothDecodeAlike(frame, try fast.decode(frame), try general.decode(" " + frame)) {
                fastPathMessages += 1
            }
        }
        #expect(fastPathMessages >= 20)
        // The snapshot flag comes from the prefix: the first entry says so.
        var decoder = KrakenDecoder()
        guard case .book(let entries) = try decoder.decode(#"{"channel":"book","type":"snapshot","data":\#(book)}"#) else {
            Issue.record("not a book message")
            return
        }
        #expect(entries.first?.isSnapshot == true)
        guard case .trades(let trades) = try decoder.decode(#"{"channel":"trade","type":"snapshot","data":\#(trade)}"#) else {
            Issue.record("not a trade message")
            return
        }
        #expect(trades.isSnapshot && trades.trades.map(\.tradeID) == [42])
    }

    /// An entry naming the symbol the decoder read last is matched against its cached bytes in
    /// place; any other string (longer, shorter, escaped, unterminated, another pair) is scanned.
    /// Each frame must decode as it does for a fresh decoder, or fail as it does there.
    @Test func aRepeatedSymbolDecodesAsAFreshOne() {
        let symbols = [
            "BTC/USD", "BTC/USD", "BTC/USDT", "BTC/USD", "BTC/US", "BTC/USD", #"BTC\/USD"#, "BTC/USD", "ETH/USD",
            "BTC/USD\"", "ETH/USD", "A", "A", "", "A", "XBT/USDX/USDXBT", "XBT/USDX/USDXBT", "XBT/USDX/USDXBU",
        ]
        var frames: [String] = []
        for symbol in symbols {
            frames.append(#"{"channel":"book","type":"update","data":[{"symbol":"\#(symbol)","bids":[],"asks":[],"checksum":7}]}"#)
            frames.append(#"{"channel":"trade","type":"update","data":[{"symbol":"\#(symbol)","side":"buy","price":1.5,"qty":2,"ord_type":"limit","trade_id":9,"timestamp":"2026-11-21T13:00:00.123456Z"}]}"#)
        }
        frames.append(#"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD"#)
        frames.append(#"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD""#)
        var cached = KrakenDecoder()
        var decoded = 0
        for frame in frames {
            var fresh = KrakenDecoder()
            if Self.bothDecodeAlike(frame, try cached.decode(frame), try fresh.decode(frame)) { decoded += 1 }
        }
        #expect(decoded >= 30)
    }

    /// Two decodings of `frame` must agree: the same message (true), or both an error (false).
    private static func bothDecodeAlike(
        _ frame: String, _ first: @autoclosure () throws(KrakenDecodeError) -> KrakenMessage,
        _ second: @autoclosure () throws(KrakenDecodeError) -> KrakenMessage
    ) -> Bool {
        switch (Result(catching: first), Result(catching: second)) {
        case (.success(let lhs), .success(let rhs)):
            #expect(lhs == rhs, "\(frame)")
            return true
        case (.failure, .failure): return false
        case (let lhs, let rhs):
            Issue.record("only one way decoded \(frame): \(lhs) / \(rhs)")
            return false
        }
    }

    /// A field missing from Kraken's layout is still an error, wherever the fast path stops.
    @Test func aMissingFieldIsStillAnError() {
        var decoder = KrakenDecoder()
        let withoutQty = #"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":60000.1}],"asks":[],"checksum":1}]}"#
        let withoutChecksum = #"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[]}]}"#
        let withoutSymbol = #"{"channel":"book","type":"update","data":[{"bids":[],"asks":[],"checksum":1}]}"#
        #expect(throws: KrakenDecodeError.self) { try decoder.decode(withoutQty) }
        #expect(throws: KrakenDecodeError.self) { try decoder.decode(withoutChecksum) }
        #expect(throws: KrakenDecodeError.self) { try decoder.decode(withoutSymbol) }
    }

    /// Timestamps share their minute from one message to the next (the decoder keeps it): a new
    /// minute, hour or day must be parsed again, and an invalid one refused even after a valid one.
    @Test func timestampsAcrossMinutesAndDays() throws {
        var decoder = KrakenDecoder()
        func frame(_ timestamp: String) -> String {
            #"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":1,"timestamp":"\#(timestamp)"}]}"#
        }
        for text in ["2026-11-21T13:00:59.999999Z", "2026-11-21T13:01:00.000001Z", "2026-11-21T13:01:07.5Z",
                     "2026-11-21T23:59:59Z", "2026-11-22T00:00:00.123Z", "2028-02-29T00:00:00.000000001Z"] {
            guard case .book(let entries) = try decoder.decode(frame(text)) else { continue }
            #expect(entries.first?.timestamp == UTCTimestamp(text), "\(text)")
        }
        #expect(throws: KrakenDecodeError.self) { try decoder.decode(frame("2026-11-22T00:00:61.0Z")) }
        #expect(throws: KrakenDecodeError.self) { try decoder.decode(frame("2027-02-29T00:00:00.0Z")) }
    }
}
