import Testing
@testable import BytebitCore

/// The in-place number and timestamp printers of the CSV hot path, checked against plain
/// `String` arithmetic and against the RFC 3339 parser.
@Suite struct StorageNumberTextTests {
    @Test(arguments: Array(Int8(0)...Int8(18)))
    func decimalsPrintLikeExactDecimal(scale: Int8) {
        var units: Int64 = 1
        var samples: [Int64] = [0, 1, 9, 10, 99, 100, Int64.max, Int64.min + 1, -1, -10]
        while units < Int64.max / 7 {
            samples.append(units)
            samples.append(-units - 3)
            units = units * 7 + 3
        }
        for sample in samples {
            let number = ExactDecimal(units: sample, scale: scale)
            var bytes: [UInt8] = Array("x,".utf8)
            number.appendText(to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "x," + Self.plainText(sample, scale: Int(scale)))
        }
    }

    @Test(arguments: ["1970-01-01T00:00:00Z", "2026-11-21T23:59:59.999999Z", "2024-02-29T12:34:56.000001Z",
                      "2000-03-01T00:00:00.5Z", "9999-12-31T23:59:59.999999Z", "0001-01-01T00:00:00Z"])
    func timestampsPrintLikeUTCTimestamp(text: String) throws {
        let instant = try #require(UTCTimestamp(text))
        for step in 0..<100 {
            let shifted = UTCTimestamp(microsecondsSince1970: instant.microseconds - Int64(step) * 3_599_999_937)
            var bytes: [UInt8] = []
            shifted.appendText(to: &bytes)
            #expect(bytes.count == 27 && UTCTimestamp(rfc3339: bytes) == shifted)
        }
    }

    @Test func integersPrintInDecimal() {
        for value: UInt64 in [0, 7, 10, 4_665_906, UInt64(Int64.max)] {
            var bytes: [UInt8] = []
            CSVText.appendInteger(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
    }

    /// `units / 10^scale` written out with `String`: the digits, zero-padded, the point inserted.
    static func plainText(_ units: Int64, scale: Int) -> String {
        let digits = String(units.magnitude)
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        let body = scale == 0 ? padded : padded.dropLast(scale) + "." + padded.suffix(scale)
        return (units < 0 ? "-" : "") + body
    }
}
