import Testing
@testable import BytebitCore

/// Every rejected config names the file, line:column, the dotted key, what was found and what is allowed.
@Suite struct ConfigErrorMessageTests {
    static let cases: [(yaml: String, message: String)] = [
        ("markets:\n  - BTC-USD\n  - pair: ETH-USD\n    depth: 50\n",
         "config.yaml:4:12: markets[1].depth: found 50, expected one of 10, 25, 100, 500, 1000"),
        ("markets:\n  - BTC-USD\n  - XBT-USD\n",
         "config.yaml:3:5: markets[1]: found XBT-USD (= BTC-USD) again, first listed at line 2 as markets[0]; "
            + "each pair may be listed once"),
        ("markets:\n  - pair: ETH-USD\n  - pair: ETH-USD\n",
         "config.yaml:3:5: markets[1]: found ETH-USD again, first listed at line 2 as markets[0]; "
            + "each pair may be listed once"),
        ("dat_dir: x\nmarkets: [BTC-USD]\n",
         "config.yaml:1:1: dat_dir: unknown key (did you mean data_dir?), expected one of data_dir, log_dir, "
            + "log_level, flush_interval, compress, kraken, defaults, markets, all_markets, postgres, redis, live"),
        ("markets:\n  - pair: BTC-USD\n    mdoe: interval\n",
         "config.yaml:3:5: markets[0].mdoe: unknown key (did you mean mode?), expected one of pair, depth, levels, "
            + "mode, interval, orderbook, trades, klines, ticker, ohlc"),
        ("colour: red\nmarkets: [BTC-USD]\n",
         "config.yaml:1:1: colour: unknown key, expected one of data_dir, log_dir, log_level, flush_interval, "
            + "compress, kraken, defaults, markets, all_markets, postgres, redis, live"),
        ("markets: [BTC-USD]\ndefaults:\n  depth: 10\n  levels: 11\n",
         "config.yaml:4:11: defaults.levels: found 11, expected 1 to 10 (levels cannot exceed depth 10)"),
        ("markets:\n  - pair: BTC-USD\n    levels: 30\n",
         "config.yaml:3:13: markets[0].levels: found 30, expected 1 to 25 (levels cannot exceed depth 25)"),
        ("markets:\n  - BTC-USD\n  - pair: ETH-USD\n    depth: 10\ndefaults:\n  levels: 25\n",
         "config.yaml:3:5: markets[1].levels: found 25 (from defaults.levels at line 6), expected 1 to 10 "
            + "(levels cannot exceed depth 10)"),
        ("markets: [BTC-USD]\ndefaults:\n  levels: 0\n",
         "config.yaml:3:11: defaults.levels: found 0, expected a whole number from 1 to the depth"),
        ("markets: [BTC-USD]\ndefaults:\n  levels: 11\n  levels: 12\n",
         "config.yaml:4:3: defaults.levels: duplicate key, first set at line 3; each key may appear once"),
        ("markets: [BTC-USD\n",
         "config.yaml:2:1: YAML syntax error: did not find expected ',' or ']' "
            + "(while parsing a flow sequence started at 1:10)"),
        ("a: b: c\n", "config.yaml:1:5: YAML syntax error: mapping values are not allowed in this context"),
        ("markets:\n  - btc-usd\n",
         "config.yaml:2:5: markets[0]: found btc-usd, expected BASE-QUOTE in upper case letters, digits and '.' (never '..' or a leading '.'), "
            + "e.g. BTC-USD (did you mean BTC-USD?)"),
        ("markets:\n  - BTC\n",
         "config.yaml:2:5: markets[0]: found BTC, expected BASE-QUOTE in upper case letters, digits and '.' (never '..' or a leading '.'), e.g. BTC-USD"),
        ("markets:\n  - [BTC-USD]\n",
         "config.yaml:2:5: markets[0]: found a list, expected a pair such as BTC-USD, or a map with `pair:` and "
            + "overrides"),
        ("markets:\n  - &btc BTC-USD\n",
         "config.yaml:2:5: anchors and aliases (&name, *name) are not supported in the config; write the values "
            + "out, or put shared market settings under `defaults:`"),
        ("defaults: &d\n  depth: 10\nmarkets: [BTC-USD]\n",
         "config.yaml:1:11: anchors and aliases (&name, *name) are not supported in the config; write the values "
            + "out, or put shared market settings under `defaults:`"),
        ("markets:\n  - !!str BTC-USD\n",
         "config.yaml:2:5: YAML tags (!!str, !!int, …) are not supported in the config; write the value plainly; "
            + "quote it to make it text"),
        ("", "config.yaml:1:1: the file is empty, expected a map with at least a `markets:` list"),
        ("# only a comment\n", "config.yaml:1:1: the file is empty, expected a map with at least a `markets:` list"),
        ("data_dir: data\n", "config.yaml:1:1: markets: missing, expected a list of at least one pair, e.g. "
            + "`markets: [BTC-USD]`, or `all_markets:`"),
        ("markets: []\n",
         "config.yaml:1:10: markets: found an empty list, expected at least one pair, e.g. `- BTC-USD`"),
        ("markets: BTC-USD\n", "config.yaml:1:10: markets: found BTC-USD, expected a list of pairs, e.g. `- BTC-USD`"),
        ("markets:\n  - depth: 10\n",
         "config.yaml:2:5: markets[0].pair: missing, expected the market's pair, e.g. `pair: BTC-USD`"),
        ("log_level: loud\nmarkets: [BTC-USD]\n",
         "config.yaml:1:12: log_level: found loud, expected one of trace, debug, info, notice, warning, error"),
        ("kraken:\n  url: https://feed.example.org/v2\nmarkets: [BTC-USD]\n",
         "config.yaml:2:8: kraken.url: found https://feed.example.org/v2, expected a ws:// or wss:// URL with a host, "
            + "e.g. \(KrakenEndpoint.krakenPublicURL)"),
        ("kraken: 5\nmarkets: [BTC-USD]\n", "config.yaml:1:9: kraken: found 5, expected a map with keys url, ca_file, pairs_per_connection"),
        ("defaults:\n  interval: 1.5s\nmarkets: [BTC-USD]\n",
         "config.yaml:2:13: defaults.interval: found 1.5s, expected a positive whole number with a unit ms, s, m "
            + "or h, e.g. 500ms, 1s, 5m, 2h"),
        ("flush_interval: 0s\nmarkets: [BTC-USD]\n",
         "config.yaml:1:17: flush_interval: found 0s, expected a positive whole number with a unit ms, s, m or h, "
            + "e.g. 500ms, 1s, 5m, 2h"),
        ("defaults:\n  trades: yes\nmarkets: [BTC-USD]\n",
         "config.yaml:2:11: defaults.trades: found yes, expected true or false"),
        ("compress: \"true\"\nmarkets: [BTC-USD]\n",
         "config.yaml:1:11: compress: found \"true\", expected true or false"),
        ("defaults:\n  depth: \"25\"\nmarkets: [BTC-USD]\n",
         "config.yaml:2:10: defaults.depth: found \"25\", expected one of 10, 25, 100, 500, 1000"),
        ("defaults:\n  mode: tick\nmarkets: [BTC-USD]\n",
         "config.yaml:2:9: defaults.mode: found tick, expected one of update, interval"),
        ("markets:\n  - pair: BTC-USD\n    orderbook: false\n    trades: false\n",
         "config.yaml:2:5: markets[0]: found orderbook: false and trades: false, expected at least one of orderbook "
            + "and trades true"),
        ("- BTC-USD\n", "config.yaml:1:1: (top level): found a list, expected a map with keys data_dir, log_dir, "
            + "log_level, flush_interval, compress, kraken, defaults, markets, all_markets, postgres, redis, live"),
        ("markets: [BTC-USD]\n---\nmarkets: [ETH-USD]\n",
         "config.yaml:2:1: several YAML documents (---) are not supported in the config; keep one document per file"),
        ("data_dir: ~/data\nmarkets: [BTC-USD]\n",
         "config.yaml:1:11: data_dir: found ~/data, expected an absolute path or one relative to the config file's "
            + "folder (~ is not expanded)"),
        ("data_dir:\nmarkets: [BTC-USD]\n", "config.yaml:1:10: data_dir: found nothing, expected a folder path"),
    ]

    @Test(arguments: cases)
    func rejectsWithExactMessage(yaml: String, message: String) {
        #expect {
            _ = try ConfigLoader.parse(text: yaml, fileName: "config.yaml", directory: "/srv/bytebit")
        } throws: { error in
            guard let configError = error as? ConfigError else { return false }
            #expect(configError.description == message)
            return configError.exitStatus == .configuration
        }
    }

    @Test func missingFileSaysHowToFixIt() throws {
        let path = "/nonexistent-\(UInt64.random(in: 0...UInt64.max))/config.yaml"
        #expect(throws: ConfigError.fileNotFound(path: path)) {
            try ConfigLoader.load(path: path)
        }
        #expect(ConfigError.fileNotFound(path: path).description.contains("--config PATH"))
    }

    @Test func unreadableCAFileNamesTheResolvedPath() {
        let yaml = "kraken:\n  ca_file: certs/missing.pem\nmarkets: [BTC-USD]\n"
        #expect(throws: ConfigError.invalidValue(
            file: "config.yaml", at: SourceMark(line: 2, column: 12), key: "kraken.ca_file",
            found: "certs/missing.pem (/srv/bytebit/certs/missing.pem: no such file)",
            expected: "a readable CA certificate file (PEM)")) {
            try ConfigLoader.parse(text: yaml, fileName: "config.yaml", directory: "/srv/bytebit")
        }
    }
}
