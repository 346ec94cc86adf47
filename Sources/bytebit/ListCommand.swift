import ArgumentParser
import BytebitCore
import BytebitView
import Foundation

/// `bytebit list`: which pairs and days exist, with sizes, rows, first/last time and gaps.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every recorded pair and day with file sizes, rows, first/last time and gap count."
    )

    @Option(help: "Only this pair (as in config.yaml, e.g. BTC-USD).")
    var pair: String?

    @Option(help: "Only days on or after this one (YYYY-MM-DD, today, yesterday).")
    var from: String?

    @Option(help: "Only days on or before this one (YYYY-MM-DD, today, yesterday).")
    var to: String?

    @Option(help: "Output format: table, csv or json (one object per line).")
    var format: String = "table"

    @OptionGroup var location: DataDirectoryOptions

    func validate() throws {
        guard OutputFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be table, csv or json, not \"\(format)\".")
        }
        if let pair {
            do {
                _ = try ViewRequest.pairName(pair)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    func run() throws {
        let now = SystemClock().now()
        let directory = try location.resolved()
        let entries: [DayListingEntry]
        do {
            let first = try from.map { text throws(ViewError) in try CalendarDate(option: text, now: now) }
            let last = try to.map { text throws(ViewError) in try CalendarDate(option: text, now: now) }
            entries = try DayListing.entries(in: directory, pair: pair, from: first, to: last)
        } catch {
            StandardError.write("bytebit list: \(error.description)\n")
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        guard !entries.isEmpty else {
            StandardError.write("bytebit list: no recorded days in \(directory.path) match\n")
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        let style = TerminalStyle.forStandardOutput(environment: ProcessInfo.processInfo.environment)
        let output = ViewOutput(descriptor: STDOUT_FILENO)
        output.append(DayListing.render(entries, format: OutputFormat(rawValue: format) ?? .table, style: style))
        output.flush()
        // As `view`: rows that could not be read are named on stderr and make the exit status 65.
        let problems = DayListing.problems(in: entries)
        for file in problems.unreadable { StandardError.write("bytebit list: \(file)\n") }
        for row in problems.rows { StandardError.write("bytebit list: \(row)\n") }
        if problems.count > 0 {
            StandardError.write("bytebit list: \(problems.count) corrupt row(s) skipped in the counts\n")
        }
        if problems.count > 0 || !problems.unreadable.isEmpty { throw ExitCode(ExitStatus.dataError.rawValue) }
    }
}
