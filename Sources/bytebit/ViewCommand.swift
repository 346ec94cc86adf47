import ArgumentParser
import BytebitCore
import BytebitView
import Foundation

/// `bytebit view PAIR`: show and search one pair's recorded day (SPEC §6).
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Show and search what was recorded for one pair and day.",
        discussion: """
            Shows the order book (best bid/ask, spread, mid; --levels N for a ladder) or the trades (--trades) \
            of one UTC day, plain or gzip files alike. Exit codes: 0 ok, 1 no data, 64 usage, \
            65 output shown but corrupt rows were skipped (listed on stderr).
            """
    )

    @Argument(help: "The pair as in config.yaml: upper case BASE-QUOTE, e.g. BTC-USD (XBT is accepted for BTC).")
    var pair: String

    @Option(help: "The UTC day: YYYY-MM-DD, today or yesterday (default: today, or the day of a full --from).")
    var date: String?

    @Flag(help: "Show trades instead of the order book.")
    var trades = false

    @Option(help: "Show the candles of this interval (1m, 5m, 15m, 30m, 1h, 4h, 1d) built from the trades.")
    var klines: String?

    @Option(help: "Show N price levels a side as a small ladder (csv: keep N levels).")
    var levels: Int?

    @Option(help: "Start of the window (inclusive): HH:MM[:SS[.ffffff]] on --date, or a full RFC 3339 timestamp.")
    var from: String?

    @Option(help: "End of the window (exclusive): same forms as --from; 24:00 is the end of the day.")
    var to: String?

    @Option(help: "Show only the first N rows.")
    var limit: Int?

    @Option(help: "Show only the last N rows.")
    var tail: Int?

    @Flag(help: "Keep showing rows as they are appended (like tail -f), into the next day's file after midnight.")
    var follow = false

    @Option(help: "Trades of this taker side only: buy or sell.")
    var side: String?

    @Option(name: .customLong("min-qty"), help: "Trades with at least this quantity.")
    var minimumQty: String?

    @Option(name: .customLong("min-price"), help: "Trades at or above this price.")
    var minimumPrice: String?

    @Option(name: .customLong("max-price"), help: "Trades at or below this price.")
    var maximumPrice: String?

    @Option(help: "Output format: table, csv (the recorded file's columns) or json (one object per line).")
    var format: String = "table"

    @Flag(help: "Print statistics (rows, gaps, volume, VWAP, OHLC, spread, chart) instead of rows.")
    var summary = false

    @OptionGroup var location: DataDirectoryOptions

    func validate() throws {
        guard OutputFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be table, csv or json, not \"\(format)\".")
        }
        if let levels, levels < 1 { throw ValidationError("--levels must be 1 or more.") }
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more.") }
        if let tail, tail < 1 { throw ValidationError("--tail must be 1 or more.") }
        if limit != nil, tail != nil { throw ValidationError("Use either --limit or --tail, not both.") }
        if let side, side != "buy", side != "sell" { throw ValidationError("--side must be buy or sell.") }
        let tradeOnly = side != nil || minimumQty != nil || minimumPrice != nil || maximumPrice != nil
        if tradeOnly, !trades, !summary {
            throw ValidationError("--side, --min-qty, --min-price and --max-price filter trades: add --trades.")
        }
        if summary, follow || limit != nil || tail != nil {
            throw ValidationError("--summary cannot be combined with --follow, --limit or --tail.")
        }
        if levels != nil, trades { throw ValidationError("--levels applies to the order book, not --trades.") }
        if let klines {
            guard KlineInterval(rawValue: klines) != nil else {
                throw ValidationError("--klines must be one of \(KlineInterval.allowedText), not \"\(klines)\".")
            }
            if trades || levels != nil || follow || tradeOnly {
                throw ValidationError("--klines cannot be combined with --trades, --levels, --follow or trade filters.")
            }
        }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let request: ViewRequest
        do {
            request = try makeRequest(now: SystemClock().now())
        } catch {
            throw ValidationError(error.description)
        }
        let output = ViewOutput(descriptor: STDOUT_FILENO)
        let runner = ViewRunner(
            dataDirectory: try location.resolved(),
            style: .forStandardOutput(environment: ProcessInfo.processInfo.environment)
        )
        let control = FollowControl(clock: SystemClock()) {
            usleep(250_000)
            return true
        }
        let report: ViewReport
        do {
            report = try runner.run(request, output: output, follow: control)
        } catch let error as ViewError {
            output.flush()
            StandardError.write("bytebit view: \(error.description)\n")
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        for note in report.notes {
            StandardError.write("bytebit view: note: \(note)\n")
        }
        for row in report.corruptRows {
            StandardError.write("bytebit view: \(row)\n")
        }
        if report.corruptRowCount > 0 {
            StandardError.write("bytebit view: \(report.corruptRowCount) corrupt row(s) skipped\n")
            throw ExitCode(report.exitStatus.rawValue)
        }
    }

    /// The options as a request; dates and times are read relative to `now` (UTC).
    func makeRequest(now: UTCTimestamp) throws(ViewError) -> ViewRequest {
        let day: CalendarDate
        if let date {
            day = try CalendarDate(option: date, now: now)
        } else if let from, let instant = UTCTimestamp(from) {
            day = CalendarDate(containing: instant)
        } else {
            day = CalendarDate(containing: now)
        }
        var request = ViewRequest(
            pair: try ViewRequest.pairName(pair), date: day, window: try TimeWindow(from: from, to: to, on: day))
        request.showsTrades = trades
        request.levels = levels
        request.limit = limit
        request.tail = tail
        request.follows = follow
        request.showsSummary = summary
        request.klines = klines.flatMap(KlineInterval.init(rawValue:))
        request.format = OutputFormat(rawValue: format) ?? .table
        request.tradeFilter = TradeFilter(
            side: side.flatMap(TradeSide.init(rawValue:)),
            minimumQty: try Self.decimal(minimumQty, name: "--min-qty"),
            minimumPrice: try Self.decimal(minimumPrice, name: "--min-price"),
            maximumPrice: try Self.decimal(maximumPrice, name: "--max-price")
        )
        return request
    }

    private static func decimal(_ text: String?, name: String) throws(ViewError) -> ExactDecimal? {
        guard let text else { return nil }
        guard let value = ExactDecimal(text) else {
            throw .invalidOption(name: name, value: text, expected: "a plain decimal number like 0.5")
        }
        return value
    }
}

/// Messages for people go to stderr; stdout carries only data.
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// `--data-dir` and `--config`, shared by `view` and `list`.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Folder with the recorded files (default: the config's data_dir, else ./data).")
    var dataDirectory: String?

    @Option(help: "Config file whose data_dir is used when --data-dir is absent (default: ./config.yaml if it exists).")
    var config: String?

    /// The data directory to read: `--data-dir`, else the `data_dir` of `--config` (a missing or invalid
    /// file is exit 78, as everywhere), else that of `./config.yaml` when it exists, else `./data`.
    func resolved() throws -> DataDirectory {
        if let dataDirectory { return DataDirectory(path: dataDirectory) }
        // Only the default config may be absent: a --config the user typed that names no file is an error,
        // not a silent fallback to ./data.
        let config = self.config ?? "config.yaml"
        if self.config == nil, !FileManager.default.fileExists(atPath: config) { return DataDirectory(path: "data") }
        return DataDirectory(path: try loadConfig(at: config).dataDirectory)
    }
}
