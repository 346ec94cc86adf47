import Testing

@testable import BytebitCore

/// Prices, quantities, checksums and trade ids are read by a tight loop when they are plain
/// (`60000.1`, `0.50000000`, `123456789`: digits, a fraction, at most 18 digits) and by the general
/// number scan otherwise. For any text the two must agree: the same value (its scale too), the same
/// end offset, or both an error.
@Suite struct KrakenPlainNumberTests {
    private enum Outcome<Value: Equatable>: Equatable {
        case value(Value, end: Int)
        case error
    }

    private static func outcome<Value>(
        _ text: [UInt8], _ read: (inout JSONScanner) throws(KrakenDecodeError) -> Value
    ) -> Outcome<Value> {
        text.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            do throws(KrakenDecodeError) {
                let value = try read(&scanner)
                return .value(value, end: scanner.offset)
            } catch {
                return .error
            }
        }
    }

    /// Texts around every edge: lengths near 18 and 19 digits, leading zeros, signs, exponents,
    /// a missing fraction, what follows the number (`,`, `}`, a space, a letter, another dot).
    private static func texts() -> [[UInt8]] {
        var generator = SeededRandomNumberGenerator(seed: 21)
        let pieces = ["0", "1", "9", "00", "05", "60000", "123456789", "999999999999999999", "9223372036854775807",
                      "18446744073709551615", "184467440737095516150", ""]
        let fractions = ["", ".", ".0", ".1", ".50000000", ".000000000000000001", ".1234567890123456789", ".5e3"]
        let tails = ["", ",", "}", "]", " ", "e", "E5", "e-8", ".", ".5", "x", "\"", "1"]
        var texts: [[UInt8]] = []
        for piece in pieces {
            for fraction in fractions {
                for tail in tails {
                    texts.append(Array((piece + fraction + tail).utf8))
                    texts.append(Array(("-" + piece + fraction + tail).utf8))
                }
            }
        }
        for _ in 0..<20_000 {
            let alphabet = Array("0123456789012345678901234567890123456789.-+eE, }\"".utf8)
            let length = 1 + Int(generator.next() % 24)
            texts.append((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        }
        return texts
    }

    @Test func plainDecimalsReadAsTheGeneralScanReadsThem() {
        var mismatches: [String] = []
        var plainValues = 0
        for text in Self.texts() {
            let fast = Self.outcome(text) { (scanner: inout JSONScanner) throws(KrakenDecodeError) in
                let value = try scanner.readDecimal(key: "price")
                return [value.units, Int64(value.scale)]  // exactly: == on decimals ignores the scale
            }
            let general = Self.outcome(text) { (scanner: inout JSONScanner) throws(KrakenDecodeError) in
                let value = try scanner.readDecimalGenerally(key: "price")
                return [value.units, Int64(value.scale)]
            }
            if case .value = fast { plainValues += 1 }
            if fast != general, mismatches.count < 10 { mismatches.append(String(decoding: text, as: UTF8.self)) }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(plainValues > 1000)
    }

    @Test func plainIntegersReadAsTheGeneralScanReadsThem() {
        var mismatches: [String] = []
        var values = 0
        for text in Self.texts() {
            let fast = Self.outcome(text) { (scanner: inout JSONScanner) throws(KrakenDecodeError) in
                try scanner.readUInt64(key: "checksum")
            }
            let general = Self.outcome(text) { (scanner: inout JSONScanner) throws(KrakenDecodeError) in
                try scanner.readUInt64Generally(key: "checksum")
            }
            if case .value = fast { values += 1 }
            if fast != general, mismatches.count < 10 { mismatches.append(String(decoding: text, as: UTF8.self)) }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(values > 1000)
    }

    /// The fast path keeps every printed fraction digit (the checksum depends on them).
    @Test func trailingZerosAreKept() {
        let value = Self.outcome(Array("0.50000000,".utf8)) { (scanner: inout JSONScanner) throws(KrakenDecodeError) in
            let value = try scanner.readDecimal(key: "qty")
            return [value.units, Int64(value.scale)]
        }
        #expect(value == .value([50_000_000, 8], end: 10))
    }
}
