import Testing

@testable import BytebitCore

/// `ticker:` and `ohlc:` (SPEC §3.3): defaults, per-market overrides, and exact errors.
@Suite struct ConfigChannelsTests {
    func parse(_ yaml: String) throws -> BytebitConfig {
        try ConfigLoader.parse(text: yaml, fileName: "config.yaml", directory: "/srv/bytebit")
    }

    @Test func offUnlessAsked() throws {
        let market = try #require(try parse("markets: [BTC-USD]\n").markets.first)
        #expect(!market.recordsTicker)
        #expect(market.ohlcIntervals.isEmpty)
    }

    @Test func defaultsApplyAndAMarketOverrides() throws {
        let config = try parse("""
            defaults:
              ticker: true
              ohlc: [5m, 1m]
            markets:
              - BTC-USD
              - pair: ETH-USD
                ticker: false
                ohlc: []
              - pair: SOL-USD
                ohlc: [1h, 15d, 1w]
            """)
        let byPair = Dictionary(uniqueKeysWithValues: config.markets.map { ($0.pair.name, $0) })
        #expect(byPair["BTC-USD"]?.recordsTicker == true)
        #expect(byPair["BTC-USD"]?.ohlcIntervals == [.oneMinute, .fiveMinutes], "shortest first")
        #expect(byPair["ETH-USD"]?.recordsTicker == false)
        #expect(byPair["ETH-USD"]?.ohlcIntervals == [])
        #expect(byPair["SOL-USD"]?.recordsTicker == true)
        #expect(byPair["SOL-USD"]?.ohlcIntervals.map(\.minutes) == [60, 10_080, 21_600])
        #expect(config.effectiveSettingsReport.contains("true    1m,5m"))
    }

    static let cases: [(String, String)] = [
        ("defaults:\n  ticker: yes\nmarkets: [BTC-USD]\n",
         "config.yaml:2:11: defaults.ticker: found yes, expected true or false"),
        ("markets:\n  - pair: BTC-USD\n    ohlc: [1m, 2m]\n",
         "config.yaml:3:16: markets[0].ohlc[1]: found 2m, expected one of 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w, 15d"),
        ("markets:\n  - pair: BTC-USD\n    ohlc: 1m\n",
         "config.yaml:3:11: markets[0].ohlc: found 1m, expected a list of 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w, 15d "
            + "(e.g. [1m, 5m])"),
        ("defaults:\n  ohlc: [5m, 5m]\nmarkets: [BTC-USD]\n",
         "config.yaml:2:14: defaults.ohlc[1]: found 5m, expected each interval once (5m is listed twice)"),
    ]

    @Test(arguments: cases)
    func badValuesNameTheFileLineAndColumn(yaml: String, message: String) {
        #expect {
            _ = try parse(yaml)
        } throws: { error in
            guard let configError = error as? ConfigError else { return false }
            #expect(configError.description == message)
            return configError.exitStatus == .configuration
        }
    }
}
