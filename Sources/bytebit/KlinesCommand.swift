import ArgumentParser
import BytebitCore
import BytebitView
import Foundation

/// `bytebit klines PAIR --interval 1m [--date D]`: (re)builds a day's candles from its recorded trades
/// and ledger with the collector's own builder (SPEC §10), so the files come out as the live ones.
struct KlinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "klines",
        abstract: "Build (or rebuild) a day's candles from its recorded trades.",
        discussion: """
            Writes data/PAIR/klines/klines_INTERVAL_DATE.csv, replacing the day's file (and its .csv.gz) whole. \
            Today's file is the running collector's: rebuild it only into --output. Exit codes: 0 ok, 1 no \
            trades for the day, 64 usage, 65 written but corrupt trade rows were skipped.
            """
    )

    @Argument(help: "The pair as in config.yaml, e.g. BTC-USD.")
    var pair: String

    @Option(help: "Candle interval: 1m, 5m, 15m, 30m, 1h, 4h or 1d (repeat for several).")
    var interval: [String] = []

    @Option(help: "The UTC day: YYYY-MM-DD, today or yesterday (default: yesterday).")
    var date: String = "yesterday"

    @Option(help: "Write here instead of the data folder (a file for one interval; - for stdout).")
    var output: String?

    @OptionGroup var location: DataDirectoryOptions

    func validate() throws {
        guard !interval.isEmpty else { throw ValidationError("--interval is required (one of \(KlineInterval.allowedText)).") }
        for text in interval where KlineInterval(rawValue: text) == nil {
            throw ValidationError("--interval must be one of \(KlineInterval.allowedText), not \"\(text)\".")
        }
        if output != nil, interval.count > 1 { throw ValidationError("--output takes one --interval.") }
        do {
            _ = try ViewRequest.pairName(pair)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let now = SystemClock().now()
        let directory = try location.resolved()
        let pairName: String
        let day: CalendarDate
        do {
            pairName = try ViewRequest.pairName(pair)
            day = try CalendarDate(option: date, now: now)
        } catch {
            throw ValidationError(error.description)
        }
        let dayNumber = day.start.dayNumber
        if output == nil, dayNumber >= now.dayNumber {
            StandardError.write("bytebit klines: \(day) is not over; its files belong to the running collector. "
                + "Rebuild it into --output PATH (or -) instead.\n")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let intervals = interval.compactMap(KlineInterval.init(rawValue:))
        let built: KlineRebuild.Day
        do {
            built = try KlineRebuild.day(
                dayNumber, intervals: intervals, dataDirectory: directory.path, pair: pairName, now: now)
        } catch {
            StandardError.write("bytebit klines: \(error)\n")
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        guard built.outcome.trades > 0 else {
            StandardError.write("bytebit klines: no trades recorded for \(pairName) on \(day) in \(directory.path)\n")
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        for interval in intervals {
            let klines = built.klines.filter { $0.interval == interval }
            let written: String
            do {
                if let output, output == "-" {
                    FileHandle.standardOutput.write(Data(KlineDayFile.bytes(of: klines)))
                    written = "stdout"
                } else if let output {
                    try KlineDayFile.write(KlineDayFile.bytes(of: klines), to: output)
                    written = output
                } else {
                    written = try KlineDayFile.replace(
                        dataDirectory: directory.path, pair: pairName, interval: interval, day: dayNumber, with: klines)
                }
            } catch {
                StandardError.write("bytebit klines: cannot write the \(interval) candles: \(error)\n")
                throw ExitCode(ExitStatus.failure.rawValue)
            }
            let incomplete = klines.filter { !$0.complete }.count
            StandardError.write("\(written): \(klines.count) \(interval) candles (\(incomplete) incomplete) from "
                + "\(built.outcome.trades) trades; \(built.lateTrades[interval] ?? 0) late trade(s) left out\n")
        }
        if built.openCandles > 0 {
            StandardError.write("bytebit klines: \(built.openCandles) candle(s) still open at \(now) left out\n")
        }
        if built.outcome.corruptRows > 0 {
            StandardError.write("bytebit klines: \(built.outcome.corruptRows) corrupt trade row(s) skipped\n")
            throw ExitCode(ExitStatus.dataError.rawValue)
        }
    }
}
