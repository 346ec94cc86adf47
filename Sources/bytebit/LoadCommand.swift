import ArgumentParser
import BytebitCore
import Foundation

/// `bytebit load`: back-fills days already on disk into PostgreSQL (SPEC §8). It runs the `loader`
/// executable beside `bytebit` with `--once`, so that only `loader` links libpq.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load recorded days (plain or .csv.gz) into PostgreSQL, exactly once; safe to run again.",
        discussion: "The database is the config's postgres.url, else DATABASE_URL; the password may also come from "
            + "PGPASSWORD or ~/.pgpass. Rows already loaded (by bytebit run's loader or an earlier load) are skipped. "
            + "Exits 0 when done, 75 when the database cannot be used (run it again later), 78 without a database."
    )

    @OptionGroup var configOption: ConfigOption

    @Option(help: ArgumentHelp("The first day to load (YYYY-MM-DD).", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("The last day to load (YYYY-MM-DD).", valueName: "date"))
    var to: String?

    @Argument(help: ArgumentHelp("Only these pairs (e.g. BTC-USD); all pairs on disk without.", valueName: "pair"))
    var pairs: [String] = []

    func run() throws {
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, value.count != 10 || UTCTimestamp(value + "T00:00:00Z") == nil {
                throw ValidationError("\(name): found \(value), expected a date YYYY-MM-DD")
            }
        }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("loader")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            FileHandle.standardError.write(Data("bytebit load: \(executable.path) is missing; it is built and installed beside bytebit\n".utf8))
            throw ExitCode(ExitStatus.configuration.rawValue)
        }
        var arguments = ["--config", configOption.config, "--once", "--progress"]
        if let from { arguments += ["--from", from] }
        if let to { arguments += ["--to", to] }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + pairs
        try process.run()
        process.waitUntilExit()
        throw ExitCode(process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus)
    }
}
