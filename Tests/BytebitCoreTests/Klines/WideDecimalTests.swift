import Testing
@testable import BytebitCore

/// The 128-bit decimal of candle sums: its text and its half-even long division.
@Suite struct WideDecimalTests {
    @Test func textHasExactlyItsScaleOfFractionDigits() {
        #expect(WideDecimal(units: 5, scale: 3).description == "0.005")
        #expect(WideDecimal(units: 0, scale: 2).description == "0.00")
        #expect(WideDecimal(units: 1234, scale: 0).description == "1234")
        #expect(WideDecimal(units: -15, scale: 1).description == "-1.5")
        #expect(WideDecimal(units: Int128.max, scale: 8).description == "1701411834604692317316873037158.84105727")
    }

    @Test func quotientRoundsHalfToEvenAtEveryScale() {
        #expect(WideDecimal.quotient(5, 2, extraDigits: 0) == 2)  // 2.5 → 2
        #expect(WideDecimal.quotient(7, 2, extraDigits: 0) == 4)  // 3.5 → 4
        #expect(WideDecimal.quotient(1, 3, extraDigits: 4) == 3_333)
        #expect(WideDecimal.quotient(2, 3, extraDigits: 4) == 6_667)
        #expect(WideDecimal.quotient(125, 1, extraDigits: -1) == 12)  // 12.5 → 12
        #expect(WideDecimal.quotient(135, 1, extraDigits: -1) == 14)  // 13.5 → 14
        #expect(WideDecimal.quotient(1, 0, extraDigits: 2) == nil)
        // A numerator near the top of 128 bits divides without overflowing.
        #expect(WideDecimal.quotient(Int128.max - 1, Int128.max, extraDigits: 4) == 10_000)
    }
}
