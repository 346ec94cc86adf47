import Foundation
import PostgresTestSupport

/// What the loader's tests compare: every table row and every file row as one text each, so two sides
/// are equal exactly when they hold the same rows (the same number of times).
enum LoadedRows {
    static let time = "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'"

    /// `kraken_orderbook` rows of `pair` as `timestamp|received_at|bids|asks|mid`, sorted.
    static func book(_ server: PostgresTestServer, pair: String) throws -> [String] {
        try server.execute("""
            SELECT to_char(event_time AT TIME ZONE 'UTC', \(time)) || '|' || to_char(received_at AT TIME ZONE 'UTC', \(time))
                || '|' || bids::text || '|' || asks::text || '|' || coalesce(mid::text, '')
            FROM kraken_orderbook WHERE pair = '\(pair)'
            """).compactMap { $0.first ?? nil }.sorted()
    }

    /// The same text built from the file's cells (SPEC §4.1 columns, `levels` a side).
    static func book(fileRows: [[String]], levels: Int) -> [String] {
        fileRows.map { cells in
            let mid = 2 + 2 * levels
            var bids: [String] = []
            for level in 1...levels {
                let qty = 2 + 2 * (levels - level)
                if cells[qty].isEmpty, cells[qty + 1].isEmpty { break }
                bids.append("[\"\(cells[qty + 1])\", \"\(cells[qty])\"]")
            }
            var asks: [String] = []
            for level in 1...levels {
                let qty = mid + 1 + 2 * (level - 1)
                if cells[qty].isEmpty, cells[qty + 1].isEmpty { break }
                asks.append("[\"\(cells[qty + 1])\", \"\(cells[qty])\"]")
            }
            return [cells[0], cells[1], "[" + bids.joined(separator: ", ") + "]", "[" + asks.joined(separator: ", ") + "]", cells[mid]]
                .joined(separator: "|")
        }.sorted()
    }

    static func trades(_ server: PostgresTestServer, pair: String) throws -> [String] {
        try server.execute("""
            SELECT to_char(event_time AT TIME ZONE 'UTC', \(time)) || '|' || to_char(received_at AT TIME ZONE 'UTC', \(time))
                || '|' || trade_id || '|' || side || '|' || price::text || '|' || volume::text || '|' || order_type
            FROM kraken_trades WHERE pair = '\(pair)'
            """).compactMap { $0.first ?? nil }.sorted()
    }

    static func trades(fileRows: [[String]]) -> [String] {
        fileRows.map { $0.joined(separator: "|") }.sorted()
    }

    static func events(_ server: PostgresTestServer, pair: String) throws -> [String] {
        try server.execute("""
            SELECT to_char(event_time AT TIME ZONE 'UTC', \(time)) || '|' || event || '|' || detail
            FROM kraken_events WHERE pair = '\(pair)'
            """).compactMap { $0.first ?? nil }.sorted()
    }

    static func events(fileRows: [[String]]) -> [String] {
        fileRows.map { [$0[0], $0[1], $0.count > 2 ? $0[2...].joined(separator: ",") : ""].joined(separator: "|") }.sorted()
    }

    /// Rows per (pair, UTC day) of `table`: `PAIR DAY COUNT`, sorted.
    static func countsPerDay(_ server: PostgresTestServer, table: String) throws -> [String] {
        try server.execute("""
            SELECT pair || ' ' || to_char(event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' ' || count(*)
            FROM \(table) GROUP BY pair, to_char(event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD')
            """).compactMap { $0.first ?? nil }.sorted()
    }

    static func countsPerDay(pair: String, fileRows: [[String]]) -> [String] {
        Dictionary(grouping: fileRows, by: { String($0[0].prefix(10)) }).map { "\(pair) \($0.key) \($0.value.count)" }
    }

    /// A digest of every table (what "the same tables" means for two loads).
    static func digest(_ server: PostgresTestServer, database: String = "market") throws -> String {
        let parts = try ["kraken_orderbook", "kraken_trades", "kraken_events"].map { table in
            try server.execute(
                "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM \(table) t",
                database: database).first?.first ?? nil
        }
        return parts.compactMap { $0 }.joined(separator: " ")
    }
}
