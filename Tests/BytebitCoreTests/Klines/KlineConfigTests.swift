import Testing
@testable import BytebitCore

/// `klines:` in `defaults` and per market (SPEC §3.3): the allowed intervals, and errors with file,
/// line and column like every other key.
@Suite struct KlineConfigTests {
    @Test func marketsInheritTheDefaultsAndMayOverrideThem() throws {
        let yaml = """
            defaults:
              klines: [5m, 1m, 1h]
            markets:
              - BTC-USD
              - pair: ETH-USD
                klines: []
              - pair: SOL-USD
                klines: [1d, 4h, 15m, 30m]

            """
        let config = try ConfigLoader.parse(text: yaml, fileName: "config.yaml", directory: "/srv/bytebit")
        #expect(config.markets.map(\.klines) == [
            [.oneMinute, .fiveMinutes, .oneHour], [], [.fifteenMinutes, .thirtyMinutes, .fourHours, .oneDay],
        ])
        #expect(try ConfigLoader.parse(text: "markets: [BTC-USD]\n", fileName: "c.yaml").markets[0].klines.isEmpty)
        // `bytebit check` shows them (a column only when some market builds candles).
        let report = config.effectiveSettingsReport.split(separator: "\n")
        #expect(report.contains { $0.hasPrefix("pair") && $0.hasSuffix("klines") })
        #expect(report.contains { $0.hasPrefix("ETH-USD") && $0.hasSuffix(" -") })
        #expect(report.contains { $0.hasPrefix("SOL-USD") && $0.hasSuffix("15m,30m,4h,1d") })
    }

    static let errors: [(yaml: String, message: String)] = [
        ("defaults:\n  klines: [1m, 2m]\nmarkets: [BTC-USD]\n",
         "config.yaml:2:16: defaults.klines[1]: found 2m, expected one of 1m, 5m, 15m, 30m, 1h, 4h, 1d"),
        ("markets:\n  - pair: BTC-USD\n    klines: 1m\n",
         "config.yaml:3:13: markets[0].klines: found 1m, expected a list of candle intervals among "
            + "1m, 5m, 15m, 30m, 1h, 4h, 1d, e.g. [1m, 5m, 1h]"),
        ("markets:\n  - pair: BTC-USD\n    klines: [1m, 1m]\n",
         "config.yaml:3:18: markets[0].klines[1]: found 1m a second time, expected each interval at most once"),
        ("markets:\n  - pair: BTC-USD\n    trades: false\n    klines: [1m]\n",
         "config.yaml:3:13: markets[0].klines: found klines with trades: false, expected trades: true "
            + "(candles are built from the recorded trades)"),
    ]

    @Test(arguments: errors)
    func badValuesAreConfigErrorsThatSayWhere(yaml: String, message: String) {
        #expect {
            _ = try ConfigLoader.parse(text: yaml, fileName: "config.yaml", directory: "/srv/bytebit")
        } throws: { error in
            guard let configError = error as? ConfigError else { return false }
            #expect(configError.description == message)
            return configError.exitStatus == .configuration
        }
    }
}
