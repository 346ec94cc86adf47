import Foundation
import Testing
@testable import BytebitCore

@Suite struct SupervisorConfigSnapshotTests {
    private func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-snapshot-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.path
    }

    /// The snapshot at `path` loaded as a collector does (with `environment`), its source path set
    /// back to `original`'s so the two compare setting by setting.
    private func readBack(
        _ path: String, as original: BytebitConfig, environment: [String: String] = [:]
    ) throws -> BytebitConfig {
        var readBack = try ConfigLoader.load(path: path, environment: environment)
        readBack.sourcePath = original.sourcePath
        return readBack
    }

    @Test func readsBackToTheSameSettingsWithEveryPathAbsolute() throws {
        let yaml = """
            data_dir: my data
            log_dir: "../logs \\"x\\""
            log_level: notice
            flush_interval: 250ms
            compress: false
            kraken:
              url: ws://127.0.0.1:9000/v2
              ca_file: certs/ca.pem
            defaults:
              depth: 100
              levels: 50
            markets:
              - XBT-USD
              - pair: ETH-USD
                depth: 10
                levels: 5
                mode: interval
                interval: 500ms
                trades: false
              - pair: SOL-EUR
                orderbook: false
            """
        let home = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: "\(home)/certs", withIntermediateDirectories: true)
        try Data("-----BEGIN CERTIFICATE-----\n".utf8).write(to: URL(fileURLWithPath: "\(home)/certs/ca.pem"))
        let original = try ConfigLoader.parse(text: yaml, fileName: "\(home)/config.yaml", directory: home)
        let folder = try temporaryFolder()
        let snapshot = "\(folder)/config.yaml"
        #expect(try ConfigSnapshot.write(original, to: snapshot))
        let text = try String(contentsOfFile: snapshot, encoding: .utf8)
        #expect(text.contains("data_dir: \"\(home)/my data\"\n"))
        #expect(text.contains("  ca_file: \"\(home)/certs/ca.pem\"\n"))
        #expect(try ConfigLoader.load(path: snapshot).sourcePath == snapshot)
        #expect(try readBack(snapshot, as: original, environment: ProcessInfo.processInfo.environment) == original)
    }

    /// Candles, the ticker, Kraken's candles and every output are in the snapshot: without them it
    /// read back different, and every such run warned and fell back to the user's file.
    @Test func channelsAndOutputsSurviveTheRoundTrip() throws {
        let yaml = """
            kraken:
              url: ws://127.0.0.1:9000/v2
            defaults:
              klines: [1m, 5m]
            postgres:
              url: postgresql://bytebit:pg-secret@127.0.0.1:5432/market?sslmode=disable
            redis:
              url: redis://:redis-secret@127.0.0.1:6390/2
            live:
              listen: "[::1]:0"
              token_file: live.token
            markets:
              - BTC-USD
              - pair: ETH-USD
                ticker: true
                ohlc: [1m, 15m]
                klines: []
            """
        let home = try temporaryFolder()
        let original = try ConfigLoader.parse(text: yaml, fileName: "\(home)/config.yaml", directory: home)
        let snapshot = "\(try temporaryFolder())/config.yaml"
        #expect(try ConfigSnapshot.write(original, to: snapshot))
        #expect(try readBack(snapshot, as: original) == original)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: snapshot)[.posixPermissions] as? Int)
        #expect(mode == 0o600, "the URLs' passwords are in it")
    }

    /// A URL the environment gives (`REDIS_URL`, `DATABASE_URL`) stays there: the children inherit it.
    @Test func aURLFromTheEnvironmentIsNotWrittenDown() throws {
        let environment = ["REDIS_URL": "redis://:env-secret@127.0.0.1:6390/0",
                           "DATABASE_URL": "postgresql://bytebit:env-pg-secret@127.0.0.1/market"]
        let home = try temporaryFolder()
        let original = try ConfigLoader.parse(
            text: "kraken:\n  url: ws://127.0.0.1:9000/v2\nmarkets:\n  - BTC-USD\n", fileName: "\(home)/config.yaml",
            directory: home, environment: environment)
        #expect(original.redis != nil && original.postgres != nil)
        let snapshot = "\(try temporaryFolder())/config.yaml"
        #expect(try ConfigSnapshot.write(original, to: snapshot, environment: environment))
        let text = try String(contentsOfFile: snapshot, encoding: .utf8)
        #expect(!text.contains("secret") && !text.contains("redis:") && !text.contains("postgres:"), "\(text)")
        #expect(try readBack(snapshot, as: original, environment: environment) == original)
    }

    @Test func theExampleConfigSurvivesTheRoundTrip() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config.yaml.example").path
        let original = try ConfigLoader.load(path: example)
        let folder = try temporaryFolder()
        #expect(try ConfigSnapshot.write(original, to: "\(folder)/config.yaml"))
        #expect(try readBack("\(folder)/config.yaml", as: original, environment: ProcessInfo.processInfo.environment)
            == original)
    }

    @Test(arguments: [("plain", "\"plain\""), ("a\"b", "\"a\\\"b\""), ("c:\\d", "\"c:\\\\d\""), ("x\ny", "\"x\\ny\"")])
    func quotesScalars(text: String, quoted: String) {
        #expect(ConfigSnapshot.quoted(text) == quoted)
    }
}
