import BytebitCore
import BytebitLoaderStatus
import Foundation
import PostgresTestSupport
import Testing

/// `bytebit run` with a `postgres` section: the supervised `loader` child loads every row the
/// collectors write, through a database outage and a kill -9 of the loader (issue #11's end-to-end).
@Suite(.serialized) struct LoaderRunTests {
    let pairs = ["BTC-USD", "ETH-USD", "ETH-BTC"]

    @Test func everyRecordedRowIsInTheDatabaseOnceAfterAnOutageAndAKill() throws {
        let server = try PostgresTestServer()
        let harness = try SupervisorHarness("loader-run")
        let simulator = try SimulatorProcess(in: harness.folder, arguments: ["--rate", "20"])
        defer { simulator.stop() }
        try harness.writeConfig(
            pairs, extra: "kraken:\n  url: \(simulator.url)\nflush_interval: 100ms\ndefaults:\n  depth: 10\n  levels: 5\n"
                + "postgres:\n  url: \(server.url())\n")
        try harness.start(collectorPath: nil)
        try harness.waitUntilRunning(pairs)
        let statusFile = harness.runDirectory.serviceStatusFile("loader")
        let bookCount = { (pair: String) -> Int in
            Int((try? server.execute("SELECT count(*) FROM kraken_orderbook WHERE pair = '\(pair)'").first?.first ?? nil) ?? "") ?? 0
        }
        try waitUntil("the loader to load book rows of every pair", seconds: 60) { pairs.allSatisfy { bookCount($0) > 0 } }

        // The database goes away for 20 s; the loader is killed with SIGKILL in the middle of it.
        try server.stop()
        try waitUntil("the loader to report the outage", seconds: 30) {
            (try? LoaderStatus.read(from: statusFile))?.state == "waiting"
        }
        // `bytebit status` shows the loader waiting, with the redacted URL and the reason.
        let status = try runProduct("bytebit", ["status", "--config", harness.configPath], in: harness.folder)
        let loaderLine = status.stdout.split(separator: "\n").first { $0.hasPrefix("loader ") }.map(String.init) ?? ""
        #expect(loaderLine.hasPrefix("loader waiting postgresql://postgres:***@127.0.0.1:\(server.port)/market: "), "\(status.stdout)")
        #expect(loaderLine.contains("retry in"), "\(loaderLine)")
        #expect(!status.stdout.contains(PostgresTestServer.password))
        Thread.sleep(forTimeInterval: 10)
        let killed = try #require(try? LoaderStatus.read(from: statusFile)).pid
        kill(killed, SIGKILL)
        try waitUntil("the supervisor to restart the loader", seconds: 30) {
            guard let status = try? LoaderStatus.read(from: statusFile) else { return false }
            return status.pid != killed && kill(status.pid, 0) == 0
        }
        Thread.sleep(forTimeInterval: 10)
        let rowsBeforeRestart = pairs.map(bookCount)
        try server.start()
        try waitUntil("the loader to catch up after the outage", seconds: 60) {
            guard let status = try? LoaderStatus.read(from: statusFile), status.state == "loading" else { return false }
            return zip(pairs, rowsBeforeRestart).allSatisfy { bookCount($0) > $1 }
                && status.streams.values.allSatisfy { $0.rowsBehind < 100 }
        }

        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.supervisor?.waitForExit(seconds: 30) == 0)
        // The loader stopped after the collectors and loaded the rows they wrote while stopping
        // (the comparisons below); `bytebit load` from the same positions finds nothing left.
        let load = try runProduct("bytebit", ["load", "--config", harness.configPath], in: harness.folder, seconds: 60)
        #expect(load.status == 0, "\(load)")
        #expect(load.stdout.contains("loaded 0 rows"), "\(load.stdout)")

        let data = harness.folder.appendingPathComponent("data")
        for pair in pairs {
            let files = RecordedMarket(dataDirectory: data, pair: pair)
            let bookRows = try files.rows("orderbook")
            let tradeRows = try files.rows("trades")
            let eventRows = try files.rows("events")
            #expect(bookRows.count > 100)
            #expect(try LoadedRows.book(server, pair: pair) == LoadedRows.book(fileRows: bookRows, levels: 5), "\(pair) book")
            #expect(try LoadedRows.trades(server, pair: pair) == LoadedRows.trades(fileRows: tradeRows), "\(pair) trades")
            #expect(try LoadedRows.events(server, pair: pair) == LoadedRows.events(fileRows: eventRows), "\(pair) events")
            let perDay = try LoadedRows.countsPerDay(server, table: "kraken_orderbook").filter { $0.hasPrefix(pair + " ") }
            #expect(perDay == LoadedRows.countsPerDay(pair: pair, fileRows: bookRows).sorted())
        }
        #expect(try server.execute("SELECT count(*) FROM bytebit_load_rejects").first?.first == "0")
        // Every pair's first book row after each `snapshot` ledger row is typed `snapshot`.
        let snapshots = try server.execute("SELECT count(*) FROM kraken_orderbook WHERE type = 'snapshot'").first?.first ?? nil
        let snapshotEvents = try server.execute("SELECT count(*) FROM kraken_events WHERE event = 'snapshot'").first?.first ?? nil
        #expect(snapshots == snapshotEvents)
        // The supervisor's log holds one line per kind of trouble, not one per retry, and no password.
        let log = (try? String(contentsOf: harness.logs.appendingPathComponent("bytebit.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("cannot load into PostgreSQL"))
        #expect(!log.contains(PostgresTestServer.password))
        // SIGTERM stops the loader cleanly (exit 0), not by the supervisor's kill after the grace period.
        #expect(log.contains("collector stopped collector=loader exit=exited with clean stop (0)"), "\(log.split(separator: "\n").filter { $0.contains("collector=loader") })")
    }
}
