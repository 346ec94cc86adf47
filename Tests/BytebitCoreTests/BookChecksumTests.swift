import Testing

@testable import BytebitCore

@Suite struct ExactDecimalTests {
    @Test(arguments: ["0.031340", "67321.1", "5", "0.00000000", "0.10000000", "-1.50", "100"])
    func printsTheTextItWasParsedFrom(text: String) throws {
        let number = try #require(ExactDecimal(text))
        #expect(number.description == text)
    }

    @Test(arguments: ["", "-", "1.", ".5", "1e-8", "1.2.3", "12a", "12345678901234567890"])
    func rejectsTextThatIsNotAPlainDecimal(text: String) {
        #expect(ExactDecimal(text) == nil)
    }

    @Test func padsShortTextToThePrecisionAndKeepsLongerText() throws {
        #expect(try #require(ExactDecimal("0.5657")).padded(toScale: 8)?.description == "0.56570000")
        #expect(try #require(ExactDecimal("0.031340")).padded(toScale: 5)?.description == "0.031340")
    }

    @Test func comparesValuesAcrossScales() throws {
        let a = try #require(ExactDecimal("0.1"))
        let b = try #require(ExactDecimal("0.10000000"))
        let c = try #require(ExactDecimal("0.09"))
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(c < a)
    }
}

@Suite struct BookChecksumTests {
    private func levels(_ pairs: [(String, String)]) -> [PriceLevel] {
        pairs.compactMap { price, qty in
            guard let p = ExactDecimal(price), let q = ExactDecimal(qty) else { return nil }
            return PriceLevel(price: p, qty: q)
        }
    }

    @Test func matchesKrakensWorkedExample() {
        let bids = levels([
            ("45283.5", "0.10000000"), ("45283.4", "1.54582015"), ("45282.1", "0.10000000"),
            ("45281.0", "0.10000000"), ("45280.3", "1.54592586"), ("45279.0", "0.07990000"),
            ("45277.6", "0.03310103"), ("45277.5", "0.30000000"), ("45277.3", "1.54602737"),
            ("45276.6", "0.15445238"),
        ])
        let asks = levels([
            ("45285.2", "0.00100000"), ("45286.4", "1.54571953"), ("45286.6", "1.54571109"),
            ("45289.6", "1.54560911"), ("45290.2", "0.15890660"), ("45291.8", "1.54553491"),
            ("45294.7", "0.04454749"), ("45296.1", "0.35380000"), ("45297.5", "0.09945542"),
            ("45299.5", "0.18772827"),
        ])
        #expect(bids.count == 10 && asks.count == 10)
        #expect(BookChecksum.compute(asks: asks, bids: bids, pricePrecision: 1, qtyPrecision: 8) == 3_310_070_434)
        // Kraken's documented wrong variant: bids before asks.
        #expect(BookChecksum.compute(asks: bids, bids: asks, pricePrecision: 1, qtyPrecision: 8) == 2_704_419_326)
    }
}

@Suite struct BookChecksumDigitsTests {
    /// Bitwise CRC-32 (IEEE), independent of zlib.
    private func referenceCRC32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// The doc's rule on text: pad to the precision, drop the point, strip leading zeros.
    private func referenceDigits(_ number: ExactDecimal, precision: Int8) -> [UInt8] {
        let text = (number.padded(toScale: precision) ?? number).description
        return Array(text.utf8.filter { $0 != UInt8(ascii: ".") }.drop { $0 == UInt8(ascii: "0") })
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func matchesTheTextRuleForNumbersOfEveryLength(seed: UInt64) {
        var generator = SeededRandomNumberGenerator(seed: seed)
        for _ in 0..<300 {
            func number() -> ExactDecimal {
                let digits = Int(generator.next() % 19)
                let units = Int64(generator.next() % UInt64(ExactDecimal.powerOfTen(digits) ?? 1))
                return ExactDecimal(
                    units: units + (generator.next() % 4 == 0 ? 0 : 1), scale: Int8(generator.next() % 10))
            }
            let asks = (0..<Int(generator.next() % 12)).map { _ in PriceLevel(price: number(), qty: number()) }
            let bids = (0..<Int(generator.next() % 12)).map { _ in PriceLevel(price: number(), qty: number()) }
            let pricePrecision = Int8(generator.next() % 6)
            let qtyPrecision = Int8(generator.next() % 9)
            var text: [UInt8] = []
            for level in asks.prefix(10) + bids.prefix(10) {
                text += referenceDigits(level.price, precision: pricePrecision)
                text += referenceDigits(level.qty, precision: qtyPrecision)
            }
            let computed = BookChecksum.compute(
                asks: asks, bids: bids, pricePrecision: pricePrecision, qtyPrecision: qtyPrecision)
            #expect(computed == referenceCRC32(text))
        }
    }
}
