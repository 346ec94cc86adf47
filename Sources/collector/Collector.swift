import ArgumentParser
import BytebitCollector
import BytebitCore
import Foundation
import Logging

/// `collector`: records one market in the foreground (what `bytebit run` starts per market).
@main
struct Collector: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector",
        abstract: "Record one Kraken market into daily CSV files (what `bytebit run` runs per market).",
        discussion: """
            Stops cleanly on SIGTERM/SIGINT, and when stdin is a pipe that closes (its supervisor died). \
            Exit codes: 0 clean stop, 64 usage error, 78 configuration error or a pair Kraken does not list, \
            75 temporary failure, 1 anything else.
            """,
        version: BytebitVersion.current
    )

    @Option(help: ArgumentHelp("The config file.", valueName: "path"))
    var config: String = "config.yaml"

    @Option(help: ArgumentHelp("The market to record, as listed in the config (e.g. BTC-USD).", valueName: "pair"))
    var market: String?

    @Option(help: ArgumentHelp(
        "Instead of recording, follow Kraken's instrument channel and keep this file listing the online pairs.",
        valueName: "path"))
    var watchInstruments: String?

    @Option(help: ArgumentHelp("Rewrite this status file about every second (the supervisor's heartbeat).",
                               valueName: "path"))
    var statusFile: String?

    @Option(help: ArgumentHelp(
        "A connection ledger shared with other collectors, to stay within Kraken's connection limit together.",
        valueName: "path"))
    var connectLedger: String?

    @Option(help: .hidden)
    var staleAfter: String?

    func run() throws {
        let loaded: BytebitConfig
        do {
            loaded = try ConfigLoader.load(path: config)
        } catch {
            Self.fail(error.description, status: error.exitStatus)
        }
        if let watchInstruments {
            Self.watchInstruments(config: loaded, path: watchInstruments, connectLedger: connectLedger)
        }
        guard let market else { Self.fail("--market or --watch-instruments is required", status: .usage) }
        guard let pair = MarketPair(parsing: market), let marketConfig = loaded.market(pair) else {
            let listed = loaded.markets.map(\.pair.name).joined(separator: ", ")
            Self.fail("\(config): market \(market) is not in the config (it lists \(listed))", status: .configuration)
        }
        let sinks = LogSinks(stderr: true)
        let level = loaded.logLevel
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, sinks: sinks) }
        let logger = Logger(label: marketConfig.pair.name)

        var policy = FeedPolicy()
        if let staleAfter {
            guard let span = TimeSpan(configText: staleAfter) else {
                Self.fail("--stale-after: found \(staleAfter), expected \(TimeSpan.expectedConfigForm)", status: .usage)
            }
            policy.staleAfter = span.duration
        }
        let settings = RecorderSettings(
            config: loaded, market: marketConfig, policy: policy, statusFile: statusFile, connectLedger: connectLedger)
        let recorder: MarketRecorder
        do {
            let transport = try WebSocketTransport(configuration: settings.clientConfiguration(), logger: logger)
            let files = CSVFileSink(writer: RecordWriter(settings: settings.writerSettings, logger: logger))
            recorder = try MarketRecorder(settings: settings, transport: transport, files: files, logger: logger)
        } catch {
            Self.fail("\(market): \(error)", status: .configuration)
        }
        let stops = StopRequests()
        stops.start { reason in recorder.requestStop(reason: reason) }
        let code = recorder.run()
        Foundation.exit(code)
    }

    /// `--watch-instruments`: the supervisor's instrument watcher for `all_markets`.
    private static func watchInstruments(config loaded: BytebitConfig, path: String, connectLedger: String?) -> Never {
        let sinks = LogSinks(stderr: true)
        let level = loaded.logLevel
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, sinks: sinks) }
        let logger = Logger(label: "instruments")
        let watcher: InstrumentWatcher
        do {
            watcher = try InstrumentWatcher(config: loaded, path: path, connectLedger: connectLedger, logger: logger)
        } catch {
            Self.fail("--watch-instruments: \(error)", status: .configuration)
        }
        let stops = StopRequests()
        stops.start { reason in watcher.requestStop(reason: reason) }
        Foundation.exit(watcher.run())
    }

    private static func fail(_ message: String, status: ExitStatus) -> Never {
        FileHandle.standardError.write(Data("collector: \(message)\n".utf8))
        Foundation.exit(status.rawValue)
    }
}
