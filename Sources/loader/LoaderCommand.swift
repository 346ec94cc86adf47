import ArgumentParser
import BytebitCore
import BytebitLoader
import Foundation
import Logging

/// `loader`: loads the recorded files into PostgreSQL (SPEC §8). Under `bytebit run` it follows the
/// files until stopped; with `--once` (what `bytebit load` runs) it loads the days on disk and exits.
@main
struct LoaderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loader",
        abstract: "Load the recorded CSV files into PostgreSQL, exactly once (what `bytebit run` and `bytebit load` run).",
        discussion: """
            The database is the config's postgres.url, else DATABASE_URL. Following (the default) never exits \
            for a database outage: it retries after 1 s, 2 s, ... at most 60 s. Exit codes: 0 clean stop or \
            --once done, 64 usage error, 78 configuration error (no database configured), 75 --once could not \
            reach the database.
            """,
        version: BytebitVersion.current
    )

    @Option(help: ArgumentHelp("The config file.", valueName: "path"))
    var config: String = "config.yaml"

    @Option(help: ArgumentHelp("Rewrite this status file after every pass.", valueName: "path"))
    var statusFile: String?

    @Flag(help: "Load the days on disk once and exit (bytebit load).")
    var once = false

    @Option(help: ArgumentHelp("With --once: the first day to load (YYYY-MM-DD).", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("With --once: the last day to load (YYYY-MM-DD).", valueName: "date"))
    var to: String?

    @Flag(help: "With --once: show progress on stderr.")
    var progress = false

    @Argument(help: ArgumentHelp("With --once: only these pairs (e.g. BTC-USD).", valueName: "pair"))
    var pairs: [String] = []

    func run() throws {
        let loaded: BytebitConfig
        do {
            loaded = try ConfigLoader.load(path: config)
        } catch {
            Self.fail(error.description, status: error.exitStatus)
        }
        guard let postgres = loaded.postgres else {
            Self.fail("\(config): no postgres section and no DATABASE_URL: nothing to load into", status: .configuration)
        }
        var settings = LoaderSettings(config: loaded)
        if !pairs.isEmpty {
            settings.pairs = Set(pairs.map { $0.uppercased().replacingOccurrences(of: "/", with: "-") })
        }
        for (name, text) in [("--from", from), ("--to", to)] {
            guard let text else { continue }
            guard text.count == 10, let midnight = UTCTimestamp(text + "T00:00:00Z") else {
                Self.fail("\(name): found \(text), expected a date YYYY-MM-DD", status: .usage)
            }
            if name == "--from" { settings.fromDay = midnight.dayNumber } else { settings.toDay = midnight.dayNumber }
        }
        let sinks = LogSinks(stderr: true)
        let level = loaded.logLevel
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, sinks: sinks) }
        let logger = Logger(label: "loader")
        if once { Foundation.exit(LoadOnce(url: postgres.url, settings: settings, showsProgress: progress, logger: logger).run()) }
        let follower = LoaderFollower(url: postgres.url, settings: settings, statusFile: statusFile, logger: logger)
        // Kept alive while the follower runs: the signal sources end with it.
        let stops = StopSignals()
        stops.start { reason in
            logger.notice("stopping", metadata: ["reason": "\(reason)"])
            follower.requestStop()
        }
        let code = withExtendedLifetime(stops) { follower.run() }
        Foundation.exit(code)
    }

    static func fail(_ message: String, status: ExitStatus) -> Never {
        FileHandle.standardError.write(Data("loader: \(message)\n".utf8))
        Foundation.exit(status.rawValue)
    }
}
