import Foundation
import Logging
import Testing
@testable import BytebitCore

@Suite struct ConfigLoaderTests {
    private func parse(_ yaml: String, directory: String = "/srv/bytebit") throws -> BytebitConfig {
        try ConfigLoader.parse(text: yaml, fileName: "config.yaml", directory: directory)
    }

    private func pair(_ text: String) throws -> MarketPair {
        try #require(MarketPair(parsing: text))
    }

    @Test func appliesSpecDefaultsWhenOnlyMarketsAreGiven() throws {
        let config = try parse("markets:\n  - BTC-USD\n")
        let expected = BytebitConfig(
            dataDirectory: "/srv/bytebit/data", logDirectory: "/srv/bytebit/logs", logLevel: .info,
            kraken: KrakenEndpoint(url: KrakenEndpoint.krakenPublicURL, caFile: nil), flushIntervalMicroseconds: 1_000_000,
            compressFinishedDays: true,
            markets: [MarketConfig(pair: try pair("BTC-USD"), depth: 25, levels: 25, mode: .update,
                                   recordsOrderBook: true, recordsTrades: true)])
        #expect(config == expected)
    }

    @Test func marketOverridesWinOverDefaultsWhichWinOverSpecDefaults() throws {
        let yaml = """
            defaults:
              depth: 100
              levels: 50
              mode: interval
              interval: 250ms
              trades: false
            markets:
              - BTC-USD
              - pair: ETH-USD
                depth: 10
                levels: 5
                mode: update
                trades: true
              - pair: SOL-EUR
                interval: 2m
                orderbook: true
            """
        let markets = try parse(yaml).markets
        #expect(markets == [
            MarketConfig(pair: try pair("BTC-USD"), depth: 100, levels: 50, mode: .interval(microseconds: 250_000),
                         recordsOrderBook: true, recordsTrades: false),
            MarketConfig(pair: try pair("ETH-USD"), depth: 10, levels: 5, mode: .update,
                         recordsOrderBook: true, recordsTrades: true),
            MarketConfig(pair: try pair("SOL-EUR"), depth: 100, levels: 50, mode: .interval(microseconds: 120_000_000),
                         recordsOrderBook: true, recordsTrades: false),
        ])
    }

    @Test func unwrittenLevelsFollowAShallowerDepth() throws {
        let markets = try parse("markets:\n  - pair: BTC-USD\n    depth: 10\n  - pair: ETH-USD\n    depth: 1000\n")
            .markets
        #expect(markets.map(\.levels) == [10, 25])
    }

    @Test func readsEveryTopLevelKey() throws {
        let yaml = """
            data_dir: /var/lib/bytebit
            log_dir: ../logs
            log_level: debug
            flush_interval: 250ms
            compress: false
            kraken:
              url: ws://127.0.0.1:9001/v2
            markets: [BTC-USD]
            """
        let config = try parse(yaml, directory: "/srv/bytebit/etc")
        #expect(config.dataDirectory == "/var/lib/bytebit")
        #expect(config.logDirectory == "/srv/bytebit/logs")
        #expect(config.logLevel == .debug)
        #expect(config.flushIntervalMicroseconds == 250_000)
        #expect(config.compressFinishedDays == false)
        #expect(config.kraken == KrakenEndpoint(url: "ws://127.0.0.1:9001/v2", caFile: nil))
    }

    @Test(arguments: [
        ("data", "/srv/bytebit", "/srv/bytebit/data"),
        ("./data/", "/srv/bytebit", "/srv/bytebit/data"),
        ("../shared/data", "/srv/bytebit/etc", "/srv/bytebit/shared/data"),
        ("/abs/./x/../data", "/srv/bytebit", "/abs/data"),
        ("data dir/2026", "/srv", "/srv/data dir/2026"),
    ])
    func resolvesPathsAgainstTheConfigFolder(written: String, directory: String, resolved: String) throws {
        let config = try parse("data_dir: \"\(written)\"\nmarkets: [BTC-USD]\n", directory: directory)
        #expect(config.dataDirectory == resolved)
    }

    @Test func normalisesAliasesAndKeepsKrakenSymbols() throws {
        let markets = try parse("markets: [XBT-USD, XDG-EUR, ETH-XBT, \"USDT-USD\"]\n").markets
        #expect(markets.map(\.pair.name) == ["BTC-USD", "DOGE-EUR", "ETH-BTC", "USDT-USD"])
        #expect(markets.map(\.pair.krakenSymbol) == ["BTC/USD", "DOGE/EUR", "ETH/BTC", "USDT/USD"])
    }

    @Test func acceptsAReadableCAFileAndStoresItsAbsolutePath() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-config-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("-----BEGIN CERTIFICATE-----\n".utf8).write(to: folder.appendingPathComponent("ca.pem"))
        let config = try parse("kraken:\n  ca_file: ca.pem\nmarkets: [BTC-USD]\n", directory: folder.path)
        #expect(config.kraken.caFile == PathResolver.absolute("ca.pem", relativeTo: folder.path))
    }

    @Test func loadReadsAFileAndResolvesPathsAgainstItsFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-config-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("config.yaml")
        try Data("data_dir: recorded\nmarkets: [ETH-USD]\n".utf8).write(to: file)
        let config = try ConfigLoader.load(path: file.path)
        #expect(config.sourcePath == file.path)
        #expect(config.dataDirectory == folder.path + "/recorded")
        #expect(config.market(try pair("ETH-USD"))?.depth == 25)
        #expect(config.market(try pair("BTC-USD")) == nil)
    }

    @Test func theExampleFileIsValidAndDocumentsEveryKey() throws {
        let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let example = repositoryRoot.appendingPathComponent("config.yaml.example")
        let config = try ConfigLoader.load(path: example.path)
        #expect(config.markets.map(\.pair.name) == ["BTC-USD", "ETH-USD", "DOGE-USD"])
        #expect(config.market(try pair("ETH-USD"))?.mode == .interval(microseconds: 500_000))
        let text = try String(contentsOf: example, encoding: .utf8)
        for key in ConfigMapper.rootKeys + ConfigMapper.krakenKeys + ConfigMapper.allMarketsKeys + ConfigMapper.liveKeys + MarketSettingsLayer.keys + ["pair"] {
            #expect(text.contains("\(key):"), "config.yaml.example does not mention \(key)")
        }
    }

    @Test func reportListsEveryMarketWithItsEffectiveSettings() throws {
        let report = try parse("markets:\n  - BTC-USD\n  - pair: ETH-USD\n    mode: interval\n    interval: 90s\n")
            .effectiveSettingsReport
        let lines = report.split(separator: "\n").map(String.init)
        #expect(lines.contains("BTC-USD  BTC/USD        25     25      update    -         true       true"))
        #expect(lines.contains("ETH-USD  ETH/USD        25     25      interval  90s       true       true"))
        #expect(lines.contains("data_dir:        /srv/bytebit/data"))
    }
}
