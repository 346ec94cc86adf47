import BytebitCore
import Foundation
import PostgresTestSupport
import Testing

/// `bytebit load`: back-fill of recorded days, plain and gzip, idempotent.
@Suite(.serialized) struct LoaderLoadCommandTests {
    /// Records a few seconds of two pairs with the real collector against kraken-sim.
    func recordDay(in folder: URL) throws {
        let simulator = try SimulatorProcess(in: folder, arguments: ["--rate", "40"])
        defer { simulator.stop() }
        _ = try writeConfig(in: folder, url: simulator.url, defaults: "  depth: 10\n  levels: 3",
                            markets: "  - pair: BTC-USD\n  - pair: ETH-USD")
        let collector = try ChildProcess(
            "collector", arguments: ["--config", folder.appendingPathComponent("config.yaml").path,
                                     "--market", "BTC-USD", "--market", "ETH-USD"], logDirectory: folder)
        let data = folder.appendingPathComponent("data")
        try waitUntil("rows of both pairs", seconds: 40) {
            ["BTC-USD", "ETH-USD"].allSatisfy {
                RecordedMarket(dataDirectory: data, pair: $0).count("orderbook") > 50
                    && RecordedMarket(dataDirectory: data, pair: $0).count("trades") > 5
            }
        }
        collector.signal(SIGTERM)
        #expect(try collector.waitForExit() == 0)
    }

    func writeLoadConfig(in folder: URL, url: String) throws -> String {
        let path = folder.appendingPathComponent("load.yaml").path
        try "data_dir: data\nlog_dir: logs\nmarkets:\n  - pair: BTC-USD\n  - pair: ETH-USD\npostgres:\n  url: \(url)\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func loadingADayTwicePlainOrGzipGivesTheSameTables() throws {
        let server = try PostgresTestServer()
        let folder = try makeTemporaryDirectory("loader-load")
        try recordDay(in: folder)
        try server.execute("CREATE DATABASE gzipped", database: "postgres")
        let plainConfig = try writeLoadConfig(in: folder, url: server.url())
        let first = try runProduct("bytebit", ["load", "--config", plainConfig], in: folder, seconds: 60)
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.hasPrefix("loaded "))
        let afterFirst = try LoadedRows.digest(server)
        let second = try runProduct("bytebit", ["load", "--config", plainConfig], in: folder, seconds: 60)
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout.hasPrefix("loaded 0 rows"), "\(second.stdout)")
        #expect(try LoadedRows.digest(server) == afterFirst)

        // The same day compressed (as the collector does once the day is over), into another database.
        let data = folder.appendingPathComponent("data")
        for pair in ["BTC-USD", "ETH-USD"] {
            for stream in ["orderbook", "trades", "events"] {
                for file in try RecordedMarket(dataDirectory: data, pair: pair).files(stream) {
                    let gzip = Process()
                    gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
                    gzip.arguments = ["-n", file.path]
                    try gzip.run()
                    gzip.waitUntilExit()
                }
            }
        }
        let gzipConfig = try writeLoadConfig(in: folder, url: server.url(database: "gzipped"))
        for run in 0..<2 {
            let result = try runProduct("bytebit", ["load", "--config", gzipConfig], in: folder, seconds: 60)
            #expect(result.status == 0, "\(result)")
            if run == 1 { #expect(result.stdout.hasPrefix("loaded 0 rows"), "\(result.stdout)") }
        }
        #expect(try LoadedRows.digest(server, database: "gzipped") == afterFirst)
        // The plain database sees the same day, now gzipped, as loaded already.
        let again = try runProduct("bytebit", ["load", "--config", plainConfig], in: folder, seconds: 60)
        #expect(again.stdout.hasPrefix("loaded 0 rows"), "\(again.stdout)")
        #expect(try LoadedRows.digest(server) == afterFirst)
    }

    @Test func aDatabaseThatCannotBeUsedIsOneClearErrorWithoutThePassword() throws {
        let server = try PostgresTestServer()
        let folder = try makeTemporaryDirectory("loader-load-bad")
        let config = try writeLoadConfig(in: folder, url: server.url(password: "wrong-secret"))
        let result = try runProduct("bytebit", ["load", "--config", config], in: folder, seconds: 60)
        #expect(result.status == 75)
        #expect(result.stderr.contains("password authentication failed"), "\(result.stderr)")
        #expect(result.stderr.contains("postgresql://postgres:***@127.0.0.1"))
        #expect(!result.stderr.contains("wrong-secret"))
        let noDatabase = folder.appendingPathComponent("none.yaml").path
        try "data_dir: data\nlog_dir: logs\nmarkets:\n  - pair: BTC-USD\n".write(toFile: noDatabase, atomically: true, encoding: .utf8)
        let missing = try runProduct("bytebit", ["load", "--config", noDatabase], in: folder, seconds: 30)
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("no postgres section"))
    }
}
