import BytebitCore
import BytebitLoader
import Foundation
import PostgresTestSupport
import Testing

/// The loader against a real PostgreSQL 15 server started for the suite.
@Suite(.serialized) struct LoaderDatabaseTests {
    let server: PostgresTestServer
    let files: RecordedFiles
    let date = "2026-11-21"
    let log = LogRecorder()

    init() throws {
        server = try PostgresTestServer()
        files = try RecordedFiles.make()
    }

    func loader(batchRows: Int = 50_000, pairs: Set<String>? = nil) throws -> Loader {
        var settings = LoaderSettings(dataDirectory: files.dataDirectory.path, pairs: pairs)
        settings.batchRows = batchRows
        return try Loader(connection: server.connect(), settings: settings, logger: log.logger())
    }

    func count(_ table: String) throws -> Int {
        Int(try server.execute("SELECT count(*) FROM \(table)").first?.first??.description ?? "") ?? -1
    }

    @Test func loadsEveryRowOnceWithTheFilesExactText() throws {
        try files.append(RecordedFiles.trades(date: date, firstID: 1, count: 250), pair: "BTC-USD", stream: .trades, date: date)
        try files.append("\(date)T00:00:00.000000Z,started,\"depth 10, levels 3, mode update\"\n", pair: "BTC-USD", stream: .events, date: date)
        let book = (0..<40).map { RecordedFiles.bookRow(time: "\(date)T00:00:\(String(format: "%02d", $0)).100000Z",
                                                         receivedAt: "\(date)T00:00:\(String(format: "%02d", $0)).200000Z",
                                                         levels: 3, seed: $0 + 1, bidLevels: $0 == 5 ? 1 : nil) }.joined()
        try files.append(book, pair: "BTC-USD", stream: .orderBook, date: date, levels: 3)
        // Batches of 7 rows: many transactions, each with its position.
        let first = try loader(batchRows: 7).pass()
        #expect(first.loaded == 250 + 40 + 1)
        #expect(try loader().pass().loaded == 0)
        #expect(try count("kraken_trades") == 250)
        #expect(try count("kraken_orderbook") == 40)
        // Value by value, as text: numeric keeps the file's digits (trailing zeros included).
        let tradeLines = RecordedFiles.trades(date: date, firstID: 1, count: 250).split(separator: "\n")
        let stored = try server.execute("""
            SELECT to_char(event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), trade_id, side, price::text,
                   volume::text, order_type FROM kraken_trades ORDER BY trade_id
            """)
        #expect(stored.count == tradeLines.count)
        for (row, line) in zip(stored, tradeLines) {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(row.compactMap { $0 } == [cells[0], cells[2], cells[3], cells[4], cells[5], cells[6]])
        }
        let bookLines = book.split(separator: "\n")
        let levels = try server.execute("SELECT bids::text, asks::text, mid::text FROM kraken_orderbook ORDER BY event_time")
        for (row, line) in zip(levels, bookLines) {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let bids = [(cells[7], cells[6]), (cells[5], cells[4]), (cells[3], cells[2])].filter { !$0.0.isEmpty }
            let asks = [(cells[10], cells[9]), (cells[12], cells[11]), (cells[14], cells[13])]
            #expect(row[0] == "[" + bids.map { "[\"\($0.0)\", \"\($0.1)\"]" }.joined(separator: ", ") + "]")
            #expect(row[1] == "[" + asks.map { "[\"\($0.0)\", \"\($0.1)\"]" }.joined(separator: ", ") + "]")
            #expect(row[2] == (cells[8].isEmpty ? nil : cells[8]))
        }
    }

    @Test func resumesFromTheCommittedPositionAndWaitsForATornLine() throws {
        let rows = RecordedFiles.trades(date: date, firstID: 100, count: 10)
        let lines = rows.split(separator: "\n").map { $0 + "\n" }
        try files.append(lines[0..<4].joined() + String(lines[4].prefix(20)), pair: "ETH-USD", stream: .trades, date: date)
        #expect(try loader().pass().loaded == 4)
        // The torn line is completed, more rows follow; a new loader (a restart) resumes at line 5.
        try files.append(String(lines[4].dropFirst(20)) + lines[5...].joined(), pair: "ETH-USD", stream: .trades, date: date)
        #expect(try loader().pass().loaded == 6)
        let ids = try server.execute("SELECT trade_id FROM kraken_trades ORDER BY trade_id").compactMap { $0.first ?? nil }
        #expect(ids == (100..<110).map(String.init))
    }

    @Test func aDayThatTurnsIntoGzipWithLateRowsBesideItLoadsEachRowOnce() throws {
        try files.append(RecordedFiles.trades(date: date, firstID: 1, count: 30), pair: "XBT-EUR", stream: .trades, date: date)
        #expect(try loader().pass().loaded == 30)
        try files.append(RecordedFiles.trades(date: date, firstID: 31, count: 5, start: 100), pair: "XBT-EUR", stream: .trades, date: date)
        try files.compress(pair: "XBT-EUR", stream: .trades, date: date)
        // Late rows after compression go to a plain file beside the .gz.
        try files.append(RecordedFiles.trades(date: date, firstID: 36, count: 4, start: 200), pair: "XBT-EUR", stream: .trades, date: date)
        #expect(try loader(batchRows: 3).pass().loaded == 9)
        #expect(try loader().pass().loaded == 0)
        // The compressor appends the late rows to the .gz: still the same rows.
        try files.appendLateRowsToGzip(pair: "XBT-EUR", stream: .trades, date: date)
        try files.append(RecordedFiles.trades(date: date, firstID: 40, count: 2, start: 300), pair: "XBT-EUR", stream: .trades, date: date)
        #expect(try loader().pass().loaded == 2)
        let ids = try server.execute("SELECT trade_id FROM kraken_trades ORDER BY trade_id").compactMap { $0.first ?? nil }
        #expect(ids == (1...41).map(String.init))
    }

    @Test func aRowTheDatabaseRefusesIsRecordedWithFileAndLineAndTheRestLoads() throws {
        var text = RecordedFiles.trades(date: date, firstID: 1, count: 6)
        // A repeated trade id (unique per pair) and a row that is not a trade row.
        text += "\(date)T01:00:00.000000Z,\(date)T01:00:00.000000Z,3,buy,1.0,1.0,limit\n"
        text += "\(date)T01:00:01.000000Z,\(date)T01:00:01.000000Z,77,buy,1.0\n"
        text += RecordedFiles.trades(date: date, firstID: 7, count: 3, start: 4000)
        try files.append(text, pair: "SOL-USD", stream: .trades, date: date)
        let pass = try loader().pass()
        #expect(pass.loaded == 9)
        #expect(pass.rejected == 2)
        let rejects = try server.execute("SELECT file, line, error FROM bytebit_load_rejects ORDER BY line")
        let path = files.path(pair: "SOL-USD", stream: .trades, date: date)
        #expect(rejects.map { $0[0] } == [path, path])
        #expect(rejects.map { $0[1] } == ["8", "9"])
        #expect(rejects.first?[2]?.contains("duplicate key") == true)
        #expect(try loader().pass().loaded == 0)
        #expect(log.messages.contains { $0.level == .warning && $0.text.contains("line=8") && $0.text.contains(path) })
    }

    @Test func aLayoutFolderIsItsOwnKeyAndOnlyChosenPairsLoad() throws {
        let row = RecordedFiles.bookRow(time: "\(date)T00:00:01.000000Z", receivedAt: "\(date)T00:00:01.000000Z", levels: 2, seed: 3)
        try files.append(row, pair: "ADA-USD", stream: .orderBook, date: date, levels: 2)
        let wide = RecordedFiles.bookRow(time: "\(date)T00:00:02.000000Z", receivedAt: "\(date)T00:00:02.000000Z", levels: 4, seed: 4)
        try files.append(wide, pair: "ADA-USD", stream: .orderBook, date: date, levels: 4, layoutFolder: "levels-4")
        try files.append(RecordedFiles.trades(date: date, firstID: 1, count: 3), pair: "DOT-USD", stream: .trades, date: date)
        #expect(try loader(pairs: ["ADA-USD"]).pass().loaded == 2)
        let layouts = try server.execute("SELECT layout FROM bytebit_load_positions ORDER BY layout").compactMap { $0.first ?? nil }
        #expect(layouts == ["-", "levels-4"])
        #expect(try server.execute("SELECT jsonb_array_length(bids) FROM kraken_orderbook ORDER BY event_time").map { $0[0] } == ["2", "4"])
        #expect(try count("kraken_trades") == 0)
    }

    @Test func withoutTimescaleTheTablesArePlainWithTheirIndexes() throws {
        let outcome = try LoaderSchema.prepare(on: server.connect())
        #expect(outcome == LoaderSchema.Outcome(timescaleAvailable: false, hypertables: false))
        let indexes = try server.execute("SELECT indexname FROM pg_indexes WHERE tablename LIKE 'kraken_%' ORDER BY 1")
            .compactMap { $0.first ?? nil }
        #expect(indexes.contains("kraken_trades_pair_trade_id"))
        #expect(indexes.contains("kraken_orderbook_pair_time"))
        // Preparing again changes nothing.
        #expect(try LoaderSchema.prepare(on: server.connect()) == outcome)
    }
}

extension LoaderDatabaseTests {
    /// The compressor renames the `.gz` into place, then deletes the plain file: a pass in between
    /// sees both, and must not load the rows twice.
    @Test func aPlainFileItsGzipAlreadyHoldsIsNotReadAgain() throws {
        let rows = RecordedFiles.trades(date: date, firstID: 1, count: 12)
        try files.append(rows, pair: "LTC-USD", stream: .trades, date: date)
        let plain = files.path(pair: "LTC-USD", stream: .trades, date: date)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -n -c '\(plain)' > '\(plain).gz'"]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: plain))
        let pass = try loader().pass()
        #expect(pass.loaded == 12)
        // Read twice, the second copy of each trade would be refused by the unique index.
        #expect(pass.rejected == 0)
        // Late rows beside the .gz are another matter: they are read.
        try FileManager.default.removeItem(atPath: plain)
        try files.append(RecordedFiles.trades(date: date, firstID: 13, count: 2, start: 500), pair: "LTC-USD", stream: .trades, date: date)
        #expect(try loader().pass().loaded == 2)
        #expect(try count("kraken_trades") == 14)
    }
}
