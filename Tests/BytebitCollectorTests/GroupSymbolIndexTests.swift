import Testing
@testable import BytebitCollector

/// The group finds a frame's market by its symbol in its own small table (`GroupSymbolIndex`).
@Suite struct GroupSymbolIndexTests {
    @Test func everyCarriedSymbolFindsItsPartAndNoOtherDoes() {
        // 672 symbols like the fixture's, so slots collide and probe on.
        let symbols = (0..<672).map { "P\($0)/\(["USD", "EUR", "BTC"][$0 % 3])" }
        let index = GroupSymbolIndex(symbols)
        for (position, symbol) in symbols.enumerated() { #expect(index.index(of: symbol) == position, "\(symbol)") }
        #expect(index.index(of: "BTC/USD") == nil)
        #expect(index.index(of: "") == nil)
        #expect(index.index(of: "P1/EUR ") == nil)
        #expect(index.index(of: "ETH2.S/ETH-LONGER-THAN-FIFTEEN-BYTES") == nil)
        #expect(GroupSymbolIndex([]).index(of: "XBT/USD") == nil)
    }

    @Test func aSymbolGivenTwiceFindsItsLastPart() {
        let index = GroupSymbolIndex(["XBT/USD", "ETH/USD", "XBT/USD"])
        #expect(index.index(of: "XBT/USD") == 2)
        #expect(index.index(of: "ETH/USD") == 1)
    }
}
