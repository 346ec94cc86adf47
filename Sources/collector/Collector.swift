import ArgumentParser
import BytebitCollector
import BytebitCore
import BytebitLive
import Foundation
import Logging

/// `collector`: records one market, or a group of markets on one connection, in the foreground
/// (what `bytebit run` starts).
@main
struct Collector: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector",
        abstract: "Record Kraken markets into daily CSV files (what `bytebit run` runs).",
        discussion: """
            Repeat --market to record a group of markets on one WebSocket connection. \
            Stops cleanly on SIGTERM/SIGINT, and when stdin is a pipe that closes (its supervisor died). \
            Exit codes: 0 clean stop, 64 usage error, 78 configuration error or (one market) a pair Kraken \
            does not list, 75 temporary failure, 1 anything else.
            """,
        version: BytebitVersion.current
    )

    @Option(help: ArgumentHelp("The config file.", valueName: "path"))
    var config: String = "config.yaml"

    @Option(help: ArgumentHelp(
        "A market to record, as listed in the config (e.g. BTC-USD); repeat it for a group on one connection.",
        valueName: "pair"))
    var market: [String] = []

    @Option(help: ArgumentHelp(
        "Instead of recording, follow Kraken's instrument channel and keep this file listing the online pairs.",
        valueName: "path"))
    var watchInstruments: String?

    @Option(help: ArgumentHelp(
        "Keep this status file (the supervisor's heartbeat and `bytebit status`'s source): one market's "
            + "status, or for a group every market's in one file.",
        valueName: "path"))
    var statusFile: String?

    @Option(help: ArgumentHelp(
        "A connection ledger shared with other collectors, to stay within Kraken's connection limit together.",
        valueName: "path"))
    var connectLedger: String?

    @Option(help: ArgumentHelp(
        "Stream the verified rows to the live feed server listening on this Unix socket (reconnects by itself).",
        valueName: "path"))
    var liveSocket: String?

    @Option(help: .hidden)
    var staleAfter: String?

    func run() throws {
        guard !market.isEmpty || watchInstruments != nil else {
            Self.fail("--market or --watch-instruments is required", status: .usage)
        }
        guard Set(market).count == market.count else { Self.fail("a --market is repeated", status: .usage) }
        let loaded: BytebitConfig
        do {
            loaded = try ConfigLoader.load(path: config)
        } catch {
            Self.fail(error.description, status: error.exitStatus)
        }
        if let watchInstruments {
            Self.watchInstruments(config: loaded, path: watchInstruments, connectLedger: connectLedger)
        }
        var marketConfigs: [MarketConfig] = []
        for name in market {
            guard let pair = MarketPair(parsing: name), let marketConfig = loaded.recordableMarket(pair) else {
                let listed = loaded.markets.map(\.pair.name).joined(separator: ", ")
                Self.fail("\(config): market \(name) is not in the config (it lists \(listed))", status: .configuration)
            }
            marketConfigs.append(marketConfig)
        }
        let sinks = LogSinks(stderr: true)
        let level = loaded.logLevel
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, sinks: sinks) }

        var policy = FeedPolicy()
        if let staleAfter {
            guard let span = TimeSpan(configText: staleAfter) else {
                Self.fail("--stale-after: found \(staleAfter), expected \(TimeSpan.expectedConfigForm)", status: .usage)
            }
            policy.staleAfter = span.duration
        }
        let isGroup = marketConfigs.count > 1
        let settingsList = marketConfigs.map { marketConfig in
            var settings = RecorderSettings(
                config: loaded, market: marketConfig, policy: policy,
                statusFile: isGroup ? nil : statusFile,
                connectLedger: isGroup ? nil : connectLedger)
            settings.sharesConnection = isGroup
            return settings
        }
        let stops = StopRequests()
        let uplink = liveSocket.map { LiveUplink(socketPath: $0, logger: Logger(label: "live")) }
        let redis = Self.redisPublisher(loaded)
        let code: Int32
        do {
            let groupLogger = Logger(label: isGroup ? "group" : marketConfigs[0].pair.name)
            let transport = try WebSocketTransport(
                configuration: settingsList[0].clientConfiguration(), logger: groupLogger)
            // A group's markets share one writer thread (each keeps its own files and counters).
            let writerThread = RecordWriterThread(logger: groupLogger)
            let recorders = try settingsList.map { settings in
                let logger = Logger(label: settings.market.pair.name)
                let files = CSVFileSink(writer: RecordWriter(
                    settings: settings.writerSettings, thread: writerThread, logger: logger))
                return try MarketRecorder(
                    settings: settings, transport: transport, files: files,
                    otherSinks: Self.otherSinks(pair: settings.market.pair, redis: redis, uplink: uplink), logger: logger)
            }
            if isGroup {
                let group = MarketGroupRecorder(
                    parts: recorders, transport: transport, connectLedger: connectLedger, statusFile: statusFile,
                    logger: groupLogger)
                stops.start { reason in group.requestStop(reason: reason) }
                code = group.run()
            } else {
                let recorder = recorders[0]
                stops.start { reason in recorder.requestStop(reason: reason) }
                code = recorder.run()
            }
        } catch {
            Self.fail("\(market.joined(separator: ", ")): \(error)", status: .configuration)
        }
        // After every market closed its sinks: their last messages (the `stopped` rows) go out.
        uplink?.close()
        redis?.close()
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

    static func fail(_ message: String, status: ExitStatus) -> Never {
        FileHandle.standardError.write(Data("collector: \(message)\n".utf8))
        Foundation.exit(status.rawValue)
    }
}
