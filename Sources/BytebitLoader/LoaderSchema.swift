/// The tables of SPEC §8, and the loader's own bookkeeping, created if missing.
public enum LoaderSchema {
    /// Where each file's loaded position is kept; updated in the same transaction as the rows it counts.
    public static let positionsTable = "bytebit_load_positions"
    /// Rows the database refused (it should not happen): file, line, the error and the row's text.
    public static let rejectsTable = "bytebit_load_rejects"

    static let tables = """
        CREATE TABLE IF NOT EXISTS kraken_trades (
            event_time timestamptz NOT NULL, received_at timestamptz NOT NULL, pair text NOT NULL,
            trade_id bigint NOT NULL, price numeric NOT NULL, volume numeric NOT NULL, side text NOT NULL,
            order_type text NOT NULL);
        CREATE TABLE IF NOT EXISTS kraken_orderbook (
            event_time timestamptz NOT NULL, received_at timestamptz NOT NULL, pair text NOT NULL,
            type text NOT NULL, bids jsonb NOT NULL, asks jsonb NOT NULL, mid numeric);
        CREATE TABLE IF NOT EXISTS kraken_events (
            event_time timestamptz NOT NULL, pair text NOT NULL, event text NOT NULL, detail text NOT NULL);
        \(CellTable.createStatements)
        CREATE TABLE IF NOT EXISTS \(positionsTable) (
            pair text NOT NULL, stream text NOT NULL, layout text NOT NULL, day date NOT NULL,
            lines bigint NOT NULL, bytes bigint NOT NULL, previous_received_us bigint,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (pair, stream, layout, day));
        CREATE TABLE IF NOT EXISTS \(rejectsTable) (
            pair text NOT NULL, stream text NOT NULL, layout text NOT NULL, day date NOT NULL,
            file text NOT NULL, line bigint NOT NULL, error text NOT NULL, row_text text NOT NULL,
            rejected_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (pair, stream, layout, day, line));
        """

    /// A hypertable's unique index must hold its time column, so the trade index is
    /// `(pair, trade_id, event_time)` there; plain tables get `(pair, trade_id)`.
    static func indexes(isHypertable: Bool) -> String {
        """
        CREATE UNIQUE INDEX IF NOT EXISTS kraken_trades_pair_trade_id
            ON kraken_trades (pair, trade_id\(isHypertable ? ", event_time" : ""));
        CREATE INDEX IF NOT EXISTS kraken_trades_pair_time ON kraken_trades (pair, event_time);
        CREATE INDEX IF NOT EXISTS kraken_orderbook_pair_time ON kraken_orderbook (pair, event_time);
        CREATE INDEX IF NOT EXISTS kraken_events_pair_time ON kraken_events (pair, event_time);
        \(CellTable.indexStatements)
        """
    }

    /// What `prepare` found and did.
    public struct Outcome: Sendable, Equatable {
        /// Whether the `timescaledb` extension is available to this server.
        public var timescaleAvailable: Bool
        /// Whether the data tables are hypertables now.
        public var hypertables: Bool

        public init(timescaleAvailable: Bool, hypertables: Bool) {
            self.timescaleAvailable = timescaleAvailable
            self.hypertables = hypertables
        }
    }

    /// Creates what is missing; with `timescaledb` available, makes the data tables hypertables on
    /// `event_time` (before the indexes, which then include the time column where unique).
    @discardableResult
    public static func prepare(on connection: PostgresConnection) throws(PostgresError) -> Outcome {
        try connection.execute("BEGIN; SELECT pg_advisory_xact_lock(727072); " + tables)
        let available = try !connection.execute(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'").isEmpty
        var hypertables = false
        if available {
            try connection.execute("CREATE EXTENSION IF NOT EXISTS timescaledb")
            for table in ["kraken_trades", "kraken_orderbook", "kraken_events"] + CellTable.timeTables {
                try connection.execute(
                    "SELECT create_hypertable('\(table)', 'event_time', if_not_exists => TRUE, migrate_data => TRUE)")
            }
            hypertables = true
        }
        try connection.execute(indexes(isHypertable: hypertables) + "COMMIT")
        return Outcome(timescaleAvailable: available, hypertables: hypertables)
    }
}
