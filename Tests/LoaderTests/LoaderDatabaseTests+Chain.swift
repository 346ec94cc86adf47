import BytebitCore
import BytebitLoader
import Foundation
import Testing

extension LoaderDatabaseTests {
    /// A back-fill on three connections (a batch in flight on each): every row once, in order, one
    /// transaction per batch, and the position at the end.
    @Test func aBackfillOnSeveralConnectionsLoadsEveryRowOnceInOrder() throws {
        try files.append(RecordedFiles.trades(date: date, firstID: 1, count: 103), pair: "PAR-USD", stream: .trades, date: date)
        let loader = try loader(batchRows: 10)
        loader.spareConnections = [try server.connect(), try server.connect()]
        let pass = try loader.pass()
        #expect(pass.loaded == 103)
        let ids = try server.execute("SELECT trade_id FROM kraken_trades WHERE pair = 'PAR-USD' ORDER BY trade_id").compactMap { $0.first ?? nil }
        #expect(ids == (1...103).map(String.init))
        #expect(try server.execute("SELECT count(DISTINCT xmin::text) FROM kraken_trades").first?.first == "11")
        #expect(try server.execute("SELECT lines FROM bytebit_load_positions WHERE pair = 'PAR-USD'").first?.first == "103")
        #expect(try self.loader().pass().loaded == 0)
    }

    /// Two batches in flight; the first one's connection dies before it commits. The second must not
    /// commit (its position would skip the first's rows): it finds the position not where it starts
    /// and rolls back. A restart then loads every row once.
    @Test func whenTheFirstOfTwoBatchesInFlightFailsTheSecondRollsBackAndEveryRowLoadsOnce() throws {
        try files.append(RecordedFiles.trades(date: date, firstID: 1, count: 30), pair: "CHN-USD", stream: .trades, date: date)
        let loader = try loader(batchRows: 10)
        loader.spareConnections = [try server.connect()]
        // Hold the key's position row so that both batches wait before moving it.
        try server.execute("""
            INSERT INTO bytebit_load_positions (pair, stream, layout, day, lines, bytes) VALUES ('CHN-USD', 'trades', '-', '\(date)', 0, 0)
            """)
        let blocker = try server.connect()
        try blocker.execute("BEGIN; SELECT lines FROM bytebit_load_positions WHERE pair = 'CHN-USD' FOR UPDATE")
        let blockerPID = try blocker.execute("SELECT pg_backend_pid()").first?.first ?? nil
        let run = PassInBackground(loader)
        let observer = try server.connect()
        // The first batch waits for the held row; the second, its rows sent, waits for the first.
        let inFlight = { () throws -> [String] in
            try observer.execute("""
                SELECT CASE WHEN wait_event_type = 'Lock' THEN 'waiting' ELSE state END FROM pg_stat_activity
                WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND pid <> $1 AND xact_start IS NOT NULL
                ORDER BY 1
                """, parameters: [blockerPID]).compactMap { $0.first ?? nil }
        }
        let deadline = Date(timeIntervalSinceNow: 60)
        while try inFlight() != ["idle in transaction", "waiting"], Date() < deadline { usleep(20_000) }
        #expect(try inFlight() == ["idle in transaction", "waiting"])
        // The first batch's connection dies.
        try observer.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        try blocker.execute("ROLLBACK")
        let outcome = run.wait()
        #expect(outcome == nil, "the pass reports the lost connection")
        #expect(try count("kraken_trades") == 0)
        #expect(log.messages.contains { $0.text.contains("was not where this batch starts") })
        // A restart (a new loader, as the follower makes after an error) loads every row once.
        #expect(try self.loader(batchRows: 10).pass().loaded == 30)
        let ids = try server.execute("SELECT trade_id FROM kraken_trades ORDER BY trade_id").compactMap { $0.first ?? nil }
        #expect(ids == (1...30).map(String.init))
    }
}

/// `Loader.pass` on a thread of its own, for a test that acts on the server meanwhile.
final class PassInBackground: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Loader.Pass?

    private let loader: Loader

    init(_ loader: Loader) {
        self.loader = loader
        Thread { [self] in
            result = try? self.loader.pass()
            done.signal()
        }.start()
    }

    /// The pass, or nil when it threw.
    func wait() -> Loader.Pass? {
        done.wait()
        return result
    }
}
