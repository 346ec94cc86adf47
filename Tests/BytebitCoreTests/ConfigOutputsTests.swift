import Foundation
import Testing

@testable import BytebitCore

/// The output sections (SPEC §3.2): parsed, checked with exact messages, the environment's URLs used
/// when a section names none, and a password never shown.
@Suite struct ConfigOutputsTests {
    private func parse(_ yaml: String, environment: [String: String] = [:]) throws -> BytebitConfig {
        try ConfigLoader.parse(
            text: "markets: [BTC-USD]\n" + yaml, fileName: "config.yaml", directory: "/srv/bytebit",
            environment: environment)
    }

    private func failure(_ yaml: String, environment: [String: String] = [:]) -> String {
        do {
            _ = try parse(yaml, environment: environment)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func withoutSectionsOrEnvironmentEveryOutputIsOff() throws {
        let config = try parse("")
        #expect(config.postgres == nil)
        #expect(config.redis == nil)
        #expect(config.live == nil)
    }

    @Test func postgresURLIsParsedAndRedacted() throws {
        let config = try parse("postgres:\n  url: postgresql://bytebit:s%40cret@db.local:5433/market?sslmode=require\n")
        let url = try #require(config.postgres?.url)
        #expect(url.user == "bytebit")
        #expect(url.password == "s@cret")
        #expect(url.host == "db.local")
        #expect(url.port == 5433)
        #expect(url.path == "/market")
        #expect(url.query == ["sslmode": "require"])
        #expect(url.redacted == "postgresql://bytebit:***@db.local:5433/market?sslmode=require")
        #expect("\(url)" == url.redacted)
        #expect(!config.effectiveSettingsReport.contains("cret"))
        #expect(config.effectiveSettingsReport.contains("postgres:        postgresql://bytebit:***@db.local:5433/market"))
    }

    @Test func environmentURLsAreUsedWithoutASection() throws {
        let config = try parse("", environment: [
            "DATABASE_URL": "postgres://u:pw@127.0.0.1/db", "REDIS_URL": "redis://:pw@127.0.0.1:6380/1",
        ])
        #expect(config.postgres?.url.redacted == "postgres://u:***@127.0.0.1/db")
        #expect(config.redis?.url.port == 6380)
        #expect(config.redis?.url.user == nil)
        #expect(config.redis?.url.password == "pw")
        #expect(config.redis?.url.redacted == "redis://:***@127.0.0.1:6380/1")
    }

    @Test func theSectionWinsOverTheEnvironment() throws {
        let config = try parse("redis:\n  url: redis://localhost:6379/0\n", environment: ["REDIS_URL": "redis://other:1/0"])
        #expect(config.redis?.url.host == "localhost")
    }

    @Test func aSectionWithoutURLOrEnvironmentIsAnError() {
        #expect(failure("postgres: {}\n") == "config.yaml:2:1: postgres.url: missing, expected a postgresql:// or "
            + "postgres:// URL, e.g. postgresql://bytebit@localhost:5432/market (or DATABASE_URL in the environment)")
    }

    @Test func aBadURLIsAnErrorThatNeverEchoesThePassword() {
        let message = failure("redis:\n  url: http://user:hunter2@host/\n")
        #expect(message == "config.yaml:3:8: redis.url: found http://user:***@host/, expected a redis:// "
            + "URL, e.g. redis://localhost:6379/0 (no rediss://: Debian's hiredis has no TLS; use a trusted network "
            + "or a TLS tunnel)")
        #expect(failure("redis:\n  url: rediss://:hunter2@cache:6380/0\n").contains(
            "redis.url: found rediss://:***@cache:6380/0, expected a redis:// URL"))
        let badPort = failure("redis:\n  url: redis://:hunter2@host:99999/0\n")
        #expect(badPort.contains("redis.url: found redis:// (not a valid URL)"))
        #expect(!badPort.contains("hunter2"))
        let environment = failure("", environment: ["DATABASE_URL": "mysql://root:hunter2@x/db"])
        #expect(environment.contains("DATABASE_URL (environment): found mysql://root:***@x/db"))
    }

    @Test func liveSectionResolvesPathsAndAddress() throws {
        let config = try parse("live:\n  listen: 127.0.0.1:8800\n")
        let live = try #require(config.live)
        #expect(live.host == "127.0.0.1")
        #expect(live.port == 8800)
        #expect(live.tokenFile == "/srv/bytebit/live.token")
        #expect(live.baseURL == "ws://127.0.0.1:8800")
        let ipv6 = try parse("live:\n  listen: \"[::1]:0\"\n  token_file: secrets/feed.token\n")
        #expect(ipv6.live?.host == "::1")
        #expect(ipv6.live?.port == 0)
        #expect(ipv6.live?.tokenFile == "/srv/bytebit/secrets/feed.token")
        #expect(ipv6.live?.baseURL == "ws://[::1]:0")
    }

    @Test func liveSectionErrors() throws {
        #expect(failure("live:\n  token_file: t\n") == "config.yaml:2:1: live.listen: missing, expected HOST:PORT "
            + "to serve the feed on, e.g. 127.0.0.1:8800")
        #expect(failure("live:\n  listen: localhost\n").hasPrefix("config.yaml:3:11: live.listen: found localhost, expected HOST:PORT"))
        #expect(failure("live:\n  listen: 127.0.0.1:70000\n").contains("live.listen: found 127.0.0.1:70000"))
        #expect(failure("live:\n  listen: 127.0.0.1:1\n  tls_cert: /nonexistent.pem\n")
            .contains("live.tls_cert: found /nonexistent.pem (/nonexistent.pem: no such file)"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("cert.pem").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: cert))
        #expect(failure("live:\n  listen: 127.0.0.1:1\n  tls_cert: \(cert)\n").contains(
            "live: found only one of tls_cert, tls_key, expected both tls_cert and tls_key (wss://) or neither (ws://)"))
        let both = try parse("live:\n  listen: 127.0.0.1:1\n  tls_cert: \(cert)\n  tls_key: \(cert)\n")
        #expect(both.live?.baseURL == "wss://127.0.0.1:1")
    }

    @Test func unknownKeysInTheSectionsAreErrors() {
        #expect(failure("redis:\n  uri: redis://x\n").contains("redis.uri: unknown key (did you mean url?)"))
        #expect(failure("live:\n  listen: 127.0.0.1:1\n  token: abc\n").contains("live.token: unknown key"))
    }
}
