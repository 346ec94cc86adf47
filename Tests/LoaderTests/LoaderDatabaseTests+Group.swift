import BytebitCore
import BytebitLoader
import Foundation
import Testing

extension LoaderDatabaseTests {
    /// Following, every key has a few new rows each pass: they are committed together, one transaction
    /// for all keys (one transaction per key was most of the server's work at 50 pairs).
    @Test func fewNewRowsOfManyKeysAreOneTransaction() throws {
        for (index, pair) in ["AAA-USD", "BBB-USD", "CCC-USD"].enumerated() {
            try files.append(RecordedFiles.trades(date: date, firstID: 1, count: 5 + index), pair: pair, stream: .trades, date: date)
            try files.append("\(date)T00:00:00.000000Z,started,mode=update\n", pair: pair, stream: .events, date: date)
        }
        let pass = try loader().pass()
        #expect(pass.loaded == 5 + 6 + 7 + 3)
        // The positions and the rows were all written by one transaction.
        #expect(try server.execute("SELECT count(DISTINCT xmin::text) FROM bytebit_load_positions").first?.first == "1")
        #expect(try server.execute("SELECT count(DISTINCT xmin::text) FROM kraken_trades").first?.first == "1")
        #expect(try server.execute("SELECT count(*) FROM bytebit_load_positions").first?.first == "6")
    }

    /// Another loader moved one key of a group after this loader read the positions: the whole group
    /// rolls back, and the next pass loads the other keys, each row once.
    @Test func aGroupWithAKeyAnotherLoaderMovedIsRedoneWithoutDuplicates() throws {
        try files.append(RecordedFiles.trades(date: date, firstID: 1, count: 4), pair: "EEE-USD", stream: .trades, date: date)
        try files.append(RecordedFiles.trades(date: date, firstID: 1, count: 3), pair: "FFF-USD", stream: .trades, date: date)
        let stale = try loader()
        // A second loader (a `bytebit load` beside the follower) loads one of the pairs first.
        #expect(try loader(pairs: ["FFF-USD"]).pass().loaded == 3)
        let first = try stale.pass()
        #expect(first.loaded == 0)
        #expect(!first.reachedEnd)
        #expect(try count("kraken_trades") == 3)
        let second = try stale.pass()
        #expect(second.loaded == 4)
        #expect(try count("kraken_trades") == 7)
        #expect(try stale.pass().loaded == 0)
        #expect(log.messages.contains { $0.text.contains("another loader moved") && $0.text.contains("FFF-USD") })
    }

    /// A row the database refuses in one key of a group is taken out; the group's other keys load.
    @Test func aRefusedRowInAGroupLeavesTheOtherKeysLoaded() throws {
        var text = RecordedFiles.trades(date: date, firstID: 1, count: 3)
        text += "\(date)T05:00:00.000000Z,\(date)T05:00:00.000000Z,2,buy,1.0,1.0,limit\n"
        try files.append(text, pair: "GGG-USD", stream: .trades, date: date)
        try files.append(RecordedFiles.trades(date: date, firstID: 1, count: 2), pair: "HHH-USD", stream: .trades, date: date)
        try files.append(RecordedFiles.trades(date: date, firstID: 1, count: 2), pair: "III-USD", stream: .trades, date: date)
        let pass = try loader().pass()
        #expect(pass.loaded == 7)
        #expect(pass.rejected == 1)
        #expect(try server.execute("SELECT pair, line FROM bytebit_load_rejects").map { [$0[0], $0[1]] } == [["GGG-USD", "5"]])
        #expect(try server.execute("SELECT pair, count(*) FROM kraken_trades GROUP BY 1 ORDER BY 1").map { [$0[0], $0[1]] }
            == [["GGG-USD", "3"], ["HHH-USD", "2"], ["III-USD", "2"]])
        #expect(try loader().pass().loaded == 0)
    }
}
