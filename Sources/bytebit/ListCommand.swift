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

    @Option(help: "Only this pair.")
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
    }
}
