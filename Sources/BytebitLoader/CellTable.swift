import BytebitCore
import BytebitView

/// The streams of SPEC §10 (candles, ticker, Kraken's ohlc): loaded cell for cell into a table of their own
/// — `pair` (and `interval`), then the file's columns in file order, `timestamp` named `event_time` —
/// with each number's text as written (`numeric` columns) and an empty cell as NULL.
struct CellTable {
    /// The table, e.g. `kraken_ohlc`.
    let table: String
    /// The value of the `interval` column (`1m`), for the streams that have one.
    let interval: String?
    /// The file's columns (after `pair`, `interval`).
    let columns: [String]

    init?(_ stream: RecordedStream) {
        switch stream {
        case .ticker: table = "kraken_ticker"; interval = nil
        case .ohlc(let value): table = "kraken_ohlc"; interval = value.rawValue
        case .klines(let value): table = "kraken_klines"; interval = value.rawValue
        default: return nil
        }
        columns = stream.columns(levels: 0).map { $0 == "timestamp" ? "event_time" : $0 }
    }

    var copyTarget: String {
        "\(table) (\((["pair"] + (interval == nil ? [] : ["interval"]) + columns).joined(separator: ", ")))"
    }

    /// Appends the COPY text row of one file line; a defect (and nothing appended) when the line does
    /// not have the stream's columns. Cells are numbers and timestamps, which need no COPY escaping;
    /// the database checks their form (a bad one becomes a reject with its file and line).
    func append(line: UnsafeBufferPointer<UInt8>, pair: [UInt8], to out: inout [UInt8]) -> RowDefect? {
        var cellCount = 1
        for byte in line {
            if byte == UInt8(ascii: ",") { cellCount += 1 }
            if byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\\") {
                return RowDefect(reason: "a cell holds a tab or a backslash")
            }
        }
        guard cellCount == columns.count else {
            return RowDefect(reason: "\(cellCount) cells, expected \(columns.count) (\(columns.joined(separator: ", ")))")
        }
        out.append(contentsOf: pair)
        if let interval {
            out.append(0x09)
            out.append(contentsOf: interval.utf8)
        }
        out.append(0x09)
        var cellIsEmpty = true
        for byte in line {
            if byte == UInt8(ascii: ",") {
                if cellIsEmpty { out.append(contentsOf: [0x5C, 0x4E]) }
                out.append(0x09)
                cellIsEmpty = true
            } else {
                out.append(byte)
                cellIsEmpty = false
            }
        }
        if cellIsEmpty { out.append(contentsOf: [0x5C, 0x4E]) }
        out.append(0x0A)
        return nil
    }

    /// The tables, created if missing.
    static let createStatements = """
        CREATE TABLE IF NOT EXISTS kraken_ticker (
            pair text NOT NULL, event_time timestamptz NOT NULL, received_at timestamptz NOT NULL,
            bid numeric, bid_qty numeric, ask numeric, ask_qty numeric, last numeric, volume numeric,
            vwap numeric, low numeric, high numeric, change numeric, change_pct numeric);
        CREATE TABLE IF NOT EXISTS kraken_ohlc (
            pair text NOT NULL, interval text NOT NULL, interval_begin timestamptz NOT NULL,
            open numeric NOT NULL, high numeric NOT NULL, low numeric NOT NULL, close numeric NOT NULL,
            volume numeric NOT NULL, vwap numeric, trades bigint NOT NULL);
        CREATE TABLE IF NOT EXISTS kraken_klines (
            pair text NOT NULL, interval text NOT NULL, interval_begin timestamptz NOT NULL,
            open numeric NOT NULL, high numeric NOT NULL, low numeric NOT NULL, close numeric NOT NULL,
            volume numeric, vwap numeric, trades bigint NOT NULL, complete boolean NOT NULL);
        """

    static let indexStatements = """
        CREATE INDEX IF NOT EXISTS kraken_ticker_pair_time ON kraken_ticker (pair, event_time);
        CREATE INDEX IF NOT EXISTS kraken_ohlc_pair_time ON kraken_ohlc (pair, interval, interval_begin);
        CREATE INDEX IF NOT EXISTS kraken_klines_pair_time ON kraken_klines (pair, interval, interval_begin);
        """

    /// The tables that become hypertables (on `event_time`) with timescaledb.
    static let timeTables = ["kraken_ticker"]
}
