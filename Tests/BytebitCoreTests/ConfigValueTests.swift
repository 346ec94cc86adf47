import Testing
@testable import BytebitCore

@Suite struct ConfigValueTests {
    @Test(arguments: [
        ("1ms", Int64(1_000)), ("500ms", 500_000), ("1s", 1_000_000), ("90s", 90_000_000), ("5m", 300_000_000),
        ("2h", 7_200_000_000), ("0010s", 10_000_000),
    ])
    func parsesDurations(text: String, microseconds: Int64) {
        #expect(TimeSpan(configText: text)?.microseconds == microseconds)
    }

    @Test(arguments: ["", "1", "s", "0s", "-1s", "+1s", "1.5s", "1 s", "1sec", "1d", "1us", "1ms5", "١s",
                      "9999999999999999h"])
    func rejectsMalformedDurations(text: String) {
        #expect(TimeSpan(configText: text)?.microseconds == nil)
    }

    @Test(arguments: [
        (Int64(3_600_000_000), "1h"), (90_000_000, "90s"), (120_000_000, "2m"), (500_000, "500ms"), (1_500, "1500µs"),
    ])
    func printsTheShortestExactDuration(microseconds: Int64, text: String) {
        #expect(TimeSpan(microseconds: microseconds).configText == text)
    }

    @Test(arguments: [
        ("BTC-USD", "BTC-USD", "BTC/USD"), ("XBT-USD", "BTC-USD", "BTC/USD"), ("XDG-XBT", "DOGE-BTC", "DOGE/BTC"),
        ("1INCH-EUR", "1INCH-EUR", "1INCH/EUR"),
    ])
    func parsesPairsAndNormalisesAliases(text: String, name: String, symbol: String) throws {
        let pair = try #require(MarketPair(parsing: text))
        #expect(pair.name == name)
        #expect(pair.krakenSymbol == symbol)
    }

    @Test(arguments: ["", "BTC", "BTC-", "-USD", "btc-usd", "BTC/USD", "BTC-USD-EUR", "BTC_USD", "BTC-ÜSD",
                      "ABCDEFGHIJKLMNOPQ-USD"])
    func rejectsMalformedPairs(text: String) {
        #expect(MarketPair(parsing: text) == nil)
    }

    @Test(arguments: [("dat_dir", "data_dir"), ("data-dir", "data_dir"), ("Markets", "markets"), ("levles", "levels"),
                      ("ordrbook", "orderbook")])
    func suggestsTheClosestKey(typed: String, suggestion: String) {
        #expect(KeySuggestion.closest(to: typed, among: ConfigMapper.rootKeys + MarketSettingsLayer.keys) == suggestion)
    }

    @Test func suggestsNothingForAFarKey() {
        #expect(KeySuggestion.closest(to: "colour", among: ConfigMapper.rootKeys) == nil)
    }

    @Test func exitStatusesMatchTheSpecContract() {
        #expect(ExitStatus.allCases.map(\.rawValue) == [0, 1, 64, 65, 73, 75, 78])
        #expect(ExitStatus.allCases.filter(\.isPermanentForSameConfig) == [.usage, .configuration])
    }
}
