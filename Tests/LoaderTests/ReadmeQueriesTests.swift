import BytebitCore
import BytebitLoader
import Foundation
import PostgresTestSupport
import Testing

/// The README's example queries (section "PostgreSQL"), run as written against a loaded day.
@Suite(.serialized) struct ReadmeQueriesTests {
    /// The ```sql blocks of the README's PostgreSQL section, in order.
    static func readmeQueries() throws -> [String] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let start = text.range(of: "\n## PostgreSQL\n") else { return [] }
        let section = text[start.upperBound...].prefix { _ in true }
        let end = section.range(of: "\n## ")?.lowerBound ?? section.endIndex
        return section[..<end].components(separatedBy: "```sql\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
    }

    @Test func theExampleQueriesAnswerFromALoadedDay() throws {
        let server = try PostgresTestServer()
        let files = try RecordedFiles.make()
        let date = "2026-11-21"
        try files.append("""
            \(date)T00:00:00.100000Z,started,"depth 10, levels 2, mode update"
            \(date)T00:00:01.000000Z,snapshot,book BTC/USD in sync
            \(date)T12:01:00.000000Z,checksum_mismatch,expected 1 got 2
            \(date)T12:01:05.000000Z,snapshot,book BTC/USD in sync

            """, pair: "BTC-USD", stream: .events, date: date)
        try files.append(
            RecordedFiles.bookRow(time: "\(date)T11:59:00.000000Z", receivedAt: "\(date)T00:00:00.900000Z", levels: 2, seed: 1)
                + RecordedFiles.bookRow(time: "\(date)T12:00:00.000000Z", receivedAt: "\(date)T12:00:00.000000Z", levels: 2, seed: 2)
                + RecordedFiles.bookRow(time: "\(date)T12:00:30.000000Z", receivedAt: "\(date)T12:00:30.000000Z", levels: 2, seed: 3),
            pair: "BTC-USD", stream: .orderBook, date: date, levels: 2)
        try files.append("""
            \(date)T11:59:59.000000Z,\(date)T11:59:59.000000Z,1,buy,100.0,1.00000000,limit
            \(date)T12:00:10.000000Z,\(date)T12:00:10.000000Z,2,buy,100.0,1.00000000,limit
            \(date)T12:00:20.000000Z,\(date)T12:00:20.000000Z,3,sell,103.0,2.00000000,market
            \(date)T12:05:00.000000Z,\(date)T12:05:00.000000Z,4,sell,90.0,1.00000000,market

            """, pair: "BTC-USD", stream: .trades, date: date)
        let loader = try Loader(connection: server.connect(), settings: LoaderSettings(dataDirectory: files.dataDirectory.path),
                                logger: LogRecorder().logger())
        #expect(try loader.pass().loaded == 4 + 3 + 4)

        let queries = try Self.readmeQueries()
        try #require(queries.count == 4)
        let book = try server.execute(queries[0])
        #expect(book.count == 1)
        #expect(book.first?[1] == "update")
        #expect(book.first?[2] == "[\"67328.2\", \"3.50000001\"]")
        let trades = try server.execute(queries[1])
        #expect(trades.map { $0[1] } == ["2", "3"])
        #expect(trades.map { $0[4] } == ["1.00000000", "2.00000000"])
        // (100.0 * 1 + 103.0 * 2) / 3 = 102 exactly.
        let vwap = try server.execute(queries[2])
        #expect(vwap.count == 3)
        #expect(vwap[1][1].flatMap { Decimal(string: $0) } == Decimal(102))
        #expect(vwap[1][3] == "2")
        let gaps = try server.execute(queries[3])
        #expect(gaps.count == 1)
        #expect(gaps.first?[1] == "checksum_mismatch")
        #expect(gaps.first?[2]?.hasPrefix("2026-11-21 12:01:05") == true)
    }
}
