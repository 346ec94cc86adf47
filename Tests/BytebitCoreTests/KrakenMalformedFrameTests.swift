import Testing

@testable import BytebitCore

/// Broken or hostile frames must end in a `KrakenDecodeError`, never a crash or a hang.
@Suite struct KrakenMalformedFrameTests {
    static let validUpdate =
        #"{"channel":"book","type":"update","data":[{"symbol":"ETH/BTC","bids":[{"price":0.031347,"qty":0.00000000},{"price":0.031329,"qty":19.07893401}],"asks":[],"checksum":2505869009,"timestamp":"2026-08-26T15:16:16.730423Z"}]}"#

    static let malformed: [(String, String)] = [
        ("empty", ""),
        ("whitespace", "  \n"),
        ("garbage", "hello"),
        ("array", "[1,2,3]"),
        ("bare string", #""channel""#),
        ("no method or channel", #"{"type":"update"}"#),
        ("trailing bytes", #"{"channel":"heartbeat"} x"#),
        ("two objects", #"{"channel":"heartbeat"}{"channel":"heartbeat"}"#),
        ("missing colon", #"{"channel" "book"}"#),
        ("missing comma", #"{"channel":"heartbeat" "type":"update"}"#),
        ("trailing comma", #"{"channel":"heartbeat",}"#),
        ("unterminated string", #"{"channel":"heart"#),
        ("bad escape", #"{"channel":"he\qrt"}"#),
        ("short unicode escape", #"{"channel":"\u12"}"#),
        ("raw control character", "{\"channel\":\"a\u{01}b\"}"),
        ("book without checksum", #"{"channel":"book","type":"update","data":[{"symbol":"A/B","bids":[],"asks":[]}]}"#),
        ("book without symbol", #"{"channel":"book","type":"update","data":[{"checksum":1,"bids":[],"asks":[]}]}"#),
        ("book without type", #"{"channel":"book","data":[{"symbol":"A/B","checksum":1,"bids":[],"asks":[]}]}"#),
        ("book with unknown type", #"{"channel":"book","type":"delta","data":[{"symbol":"A/B","checksum":1}]}"#),
        ("book without data", #"{"channel":"book","type":"update"}"#),
        ("data is an object", #"{"channel":"book","type":"update","data":{"symbol":"A/B"}}"#),
        (
            "level without qty",
            #"{"channel":"book","type":"update","data":[{"symbol":"A/B","checksum":1,"bids":[{"price":1.0}]}]}"#
        ),
        (
            "level as array",
            #"{"channel":"book","type":"update","data":[{"symbol":"A/B","checksum":1,"bids":[[1.0,2.0]]}]}"#
        ),
        (
            "price is a bool",
            #"{"channel":"book","type":"update","data":[{"symbol":"A/B","checksum":1,"bids":[{"price":true,"qty":1}]}]}"#
        ),
        (
            "price text not a number",
            #"{"channel":"book","type":"update","data":[{"symbol":"A/B","checksum":1,"bids":[{"price":"1.2.3","qty":1}]}]}"#
        ),
        (
            "leading zeros",
            #"{"channel":"book","type":"update","data":[{"symbol":"A/B","checksum":1,"bids":[{"price":007,"qty":1}]}]}"#
        ),
        (
            "point without digits",
            #"{"channel":"book","type":"update","data":[{"symbol":"A/B","checksum":1,"bids":[{"price":1.,"qty":1}]}]}"#
        ),
        (
            "huge price",
            #"{"channel":"book","type":"update","data":[{"symbol":"A/B","checksum":1,"bids":[{"price":123456789012345678901234567890,"qty":1}]}]}"#
        ),
        (
            "huge exponent",
            #"{"channel":"book","type":"update","data":[{"symbol":"A/B","checksum":1,"bids":[{"price":1e999999999,"qty":1}]}]}"#
        ),
        (
            "tiny exponent",
            #"{"channel":"book","type":"update","data":[{"symbol":"A/B","checksum":1,"bids":[{"price":1e-99,"qty":1}]}]}"#
        ),
        (
            "negative qty",
            #"{"channel":"book","type":"update","data":[{"symbol":"A/B","checksum":1,"bids":[{"price":1,"qty":-1}]}]}"#
        ),
        (
            "checksum above UInt32",
            #"{"channel":"book","type":"update","data":[{"symbol":"A/B","checksum":4294967296}]}"#
        ),
        ("negative checksum", #"{"channel":"book","type":"update","data":[{"symbol":"A/B","checksum":-1}]}"#),
        ("fractional checksum", #"{"channel":"book","type":"update","data":[{"symbol":"A/B","checksum":1.5}]}"#),
        (
            "bad timestamp",
            #"{"channel":"book","type":"update","data":[{"symbol":"A/B","checksum":1,"timestamp":"yesterday"}]}"#
        ),
        (
            "connection id above UInt64",
            #"{"channel":"status","data":[{"system":"online","connection_id":18446744073709551616}]}"#
        ),
        ("status without system", #"{"channel":"status","data":[{"connection_id":1}]}"#),
        ("ack without success", #"{"method":"subscribe","result":{"channel":"book"}}"#),
        ("success is a string", #"{"method":"subscribe","success":"yes"}"#),
        ("req_id too big", #"{"method":"pong","req_id":9223372036854775808}"#),
        (
            "trade side unknown",
            #"{"channel":"trade","type":"update","data":[{"symbol":"A/B","side":"hold","price":1,"qty":1,"ord_type":"limit","trade_id":1,"timestamp":"2024-05-27T12:33:10.826003Z"}]}"#
        ),
        (
            "trade without id",
            #"{"channel":"trade","type":"update","data":[{"symbol":"A/B","side":"buy","price":1,"qty":1,"ord_type":"limit","timestamp":"2024-05-27T12:33:10.826003Z"}]}"#
        ),
        (
            "instrument precision 99",
            #"{"channel":"instrument","type":"snapshot","data":{"pairs":[{"symbol":"A/B","price_precision":99,"qty_precision":8,"status":"online"}]}}"#
        ),
        ("bad literal", #"{"channel":"heartbeat","x":tru}"#),
        ("lone minus in skipped value", #"{"channel":"heartbeat","x":-}"#),
        (
            "deep nesting",
            "{\"channel\":\"heartbeat\",\"x\":" + String(repeating: "[", count: 100_000)
                + String(repeating: "]", count: 100_000) + "}"
        ),
    ]

    @Test(arguments: malformed)
    func malformedFrameIsAnError(name: String, frame: String) {
        var decoder = KrakenDecoder()
        #expect(throws: KrakenDecodeError.self, "\(name)") { try decoder.decode(frame) }
    }

    @Test func everyTruncationOfAValidFrameIsAnError() throws {
        var decoder = KrakenDecoder()
        let bytes = Array(Self.validUpdate.utf8)
        _ = try decoder.decode(bytes)  // the whole frame is fine
        for length in 0..<bytes.count {
            #expect(throws: KrakenDecodeError.self) { try decoder.decode(Array(bytes[0..<length])) }
        }
    }

    @Test func errorsSayWhatAndWhere() {
        var decoder = KrakenDecoder()
        #expect(throws: KrakenDecodeError.missingField("checksum", in: "book entry")) {
            try decoder.decode(#"{"channel":"book","type":"update","data":[{"symbol":"A/B"}]}"#)
        }
        #expect(KrakenDecodeError.truncated(offset: 12).description == "frame truncated at byte 12")
        #expect(KrakenDecodeError.wrongType(key: "qty", expected: "a number", offset: 3).description.contains("qty"))
    }
}
