import BytebitCore
import Foundation
import Testing

/// Pair names follow Kraken's symbols (SPEC §3): letters, digits and `.`, never `..` or a leading `.`.
@Suite struct ConfigPairNameTests {
    @Test(arguments: [("ETH2.S-ETH", "ETH2.S/ETH"), ("A.B.C-USD", "A.B.C/USD"), ("ETH2.-ETH", "ETH2./ETH")])
    func acceptsDotsInsideAnAssetName(text: String, symbol: String) throws {
        let pair = try #require(MarketPair(parsing: text))
        #expect(pair.name == text)
        #expect(pair.krakenSymbol == symbol)
    }

    @Test(arguments: [".ETH-USD", "ETH-.USD", "ETH..S-ETH", "ETH-U..SD", "..-USD", ".-USD", "ETH-."])
    func rejectsALeadingOrDoubledDot(text: String) {
        #expect(MarketPair(parsing: text) == nil)
    }

    @Test func parsesKrakenSymbols() throws {
        #expect(MarketPair(krakenSymbol: "XBT/USD")?.name == "BTC-USD")
        #expect(MarketPair(krakenSymbol: "ETH2.S/ETH")?.name == "ETH2.S-ETH")
        #expect(MarketPair(krakenSymbol: "BTC-USD") == nil)
        #expect(MarketPair(krakenSymbol: "A/B/C") == nil)
    }

    /// Every pair Kraken lists as online (the recorded instrument snapshot) is a valid config pair,
    /// so a config listing all of them loads instead of failing with 78.
    @Test func everyOnlineKrakenPairIsAccepted() throws {
        let symbols = try Self.onlineSymbols()
        #expect(symbols.count == 672)
        #expect(symbols.contains("ETH2.S/ETH"))
        let refused = symbols.filter { MarketPair(krakenSymbol: $0) == nil }
        #expect(refused == [])
        let yaml = "markets:\n" + symbols.map { "  - \($0.replacingOccurrences(of: "/", with: "-"))\n" }.joined()
        let config = try ConfigLoader.parse(text: yaml, fileName: "config.yaml", directory: "/tmp")
        #expect(config.markets.count == 672)
        #expect(config.markets.contains { $0.pair.name == "ETH2.S-ETH" })
    }

    static func onlineSymbols() throws -> [String] {
        let bytes = [UInt8](try KrakenFixture.data("kraken-data-recorder_instrument_snapshot.json"))
        var decoder = KrakenDecoder()
        guard case .instrument(let message) = try decoder.decode(bytes) else { return [] }
        return message.pairs.filter { $0.status == "online" }.map(\.symbol)
    }
}
