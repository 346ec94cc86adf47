import ArgumentParser
import BytebitCollector
import BytebitCore
import BytebitLive
import Foundation
import Logging

/// `live-feed`: the authenticated WebSocket feed and web page of the `live` section (SPEC §9), fed
/// by the collectors over a Unix socket. `bytebit run` keeps it running while the section is set.
@main
struct LiveFeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live-feed",
        abstract: "Serve the live feed (ws[s]://HOST:PORT/v1/stream) and web page of the config's live section.",
        discussion: """
            Collectors started with --live-socket PATH stream their verified rows here. Stops cleanly on \
            SIGTERM/SIGINT. Exit codes: 0 clean stop, 64 usage error, 78 configuration error (no live \
            section, unusable token file), 75 temporary failure (e.g. the port is in use).
            """,
        version: BytebitVersion.current
    )

    @Option(help: ArgumentHelp("The config file.", valueName: "path"))
    var config: String = "config.yaml"

    @Option(help: ArgumentHelp("Rewrite this status file about every second.", valueName: "path"))
    var statusFile: String?

    @Option(help: ArgumentHelp("The Unix socket the collectors connect to (default: <run>/live.sock).", valueName: "path"))
    var liveSocket: String?

    @Option(help: .hidden)
    var clientQueueBytes: Int?

    func run() throws {
        let loaded: BytebitConfig
        do {
            loaded = try ConfigLoader.load(path: config)
        } catch {
            Self.fail(error.description, status: error.exitStatus)
        }
        guard let live = loaded.live else {
            Self.fail("\(config) has no live section: nothing to serve", status: .configuration)
        }
        let sinks = LogSinks(stderr: true)
        let level = loaded.logLevel
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, sinks: sinks) }
        let logger = Logger(label: "live")
        var limits = LiveClientLimits()
        if let clientQueueBytes {
            guard clientQueueBytes > 0 else { Self.fail("--client-queue-bytes must be positive", status: .usage) }
            limits.maximumQueuedBytes = clientQueueBytes
        }
        let socketPath = liveSocket ?? RunDirectory(logDirectory: loaded.logDirectory).liveSocket
        let service: LiveFeedService
        do {
            try FileManager.default.createDirectory(
                atPath: PathResolver.folder(of: socketPath), withIntermediateDirectories: true)
            service = try LiveFeedService(
                live: live, socketPath: socketPath, statusFile: statusFile, limits: limits, logger: logger)
        } catch let error as LiveFeedError {
            switch error {
            case .listen, .uplinkSocket, .statusFile: Self.fail(error.description, status: .temporaryFailure)
            case .tokenFile: Self.fail(error.description, status: .configuration)
            }
        } catch {
            Self.fail("\(error)", status: .temporaryFailure)
        }
        let stops = StopRequests()
        stops.start { reason in
            logger.info("stopping", metadata: ["reason": "\(reason)"])
            service.stop()
        }
        service.run()
        Foundation.exit(ExitStatus.clean.rawValue)
    }

    private static func fail(_ message: String, status: ExitStatus) -> Never {
        FileHandle.standardError.write(Data("live-feed: \(message)\n".utf8))
        Foundation.exit(status.rawValue)
    }
}
