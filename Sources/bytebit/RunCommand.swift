import ArgumentParser
import BytebitCore
import Foundation
import Logging

/// `bytebit run`: supervise one collector per market (SPEC §2, §5).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Supervise the collectors (one per market; above 20 markets one per group of markets on a "
            + "shared connection) until SIGTERM/SIGINT, or for --duration.",
        discussion: """
            SIGHUP reloads the config, SIGUSR1 reopens logs/bytebit.log (for logrotate). `bytebit status` shows \
            the running markets. Exits 0 on a clean stop, 78 on an invalid config, 1 on a second stop signal.
            """
    )

    @OptionGroup var configOption: ConfigOption

    @Option(help: ArgumentHelp("Stop cleanly after this long, e.g. 90s, 30m, 2h.", valueName: "duration"))
    var duration: String?

    @Option(name: .customLong("collector-path"), help: .hidden)
    var collectorPath: String?

    @Option(name: .customLong("hang-timeout"), help: .hidden)
    var hangTimeout: String?

    @Option(name: .customLong("grace-period"), help: .hidden)
    var gracePeriod: String?

    @Option(name: .customLong("restart-delay"), help: .hidden)
    var restartDelay: String?

    @Option(name: .customLong("max-restart-delay"), help: .hidden)
    var maximumRestartDelay: String?

    @Option(name: .customLong("healthy-after"), help: .hidden)
    var healthyAfter: String?

    @Option(name: .customLong("tick"), help: .hidden)
    var tick: String?

    @Option(name: .customLong("status-interval"), help: .hidden)
    var statusInterval: String?

    @Option(name: .customLong("progress-interval"), help: .hidden)
    var progressInterval: String?

    /// Malformed durations are usage errors, reported with this subcommand's usage (64).
    func validate() throws {
        _ = try makeSettings()
    }

    func run() async throws {
        let settings = try makeSettings()
        let config = try configOption.load()
        let configPath = Self.absolutePath(configOption.config)
        do {
            try FileManager.default.createDirectory(atPath: config.logDirectory, withIntermediateDirectories: true)
        } catch {
            let failure = SupervisorError.cannotCreateDirectory(
                path: config.logDirectory, reason: error.localizedDescription)
            FileHandle.standardError.write(Data("bytebit run: \(failure)\n".utf8))
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        let sinks = LogSinks(stderr: true, filePath: "\(config.logDirectory)/bytebit.log")
        let level = config.logLevel
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, sinks: sinks) }
        let logger = Logger(label: "supervisor")
        guard FileManager.default.isExecutableFile(atPath: settings.collectorPath) else {
            let failure = SupervisorError.collectorNotFound(path: settings.collectorPath)
            logger.error("cannot start", metadata: ["error": "\(failure)"])
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        let supervisor = Supervisor(
            config: config, configPath: configPath, settings: settings, logger: logger, logSinks: sinks,
            environment: ProcessInfo.processInfo.environment)
        let code = await supervisor.run()
        if code != ExitStatus.clean.rawValue { throw ExitCode(code) }
    }

    private func makeSettings() throws -> SupervisorSettings {
        var settings = SupervisorSettings(
            collectorPath: collectorPath.map(Self.absolutePath) ?? SupervisorSettings.collectorNextToSelf())
        settings.policy.durationMicroseconds = try Self.microseconds(duration, option: "--duration")
        if let timeout = try Self.microseconds(hangTimeout, option: "--hang-timeout") {
            settings.policy.heartbeat = Heartbeat(timeoutMicroseconds: timeout)
        }
        if let grace = try Self.microseconds(gracePeriod, option: "--grace-period") {
            settings.policy.gracePeriodMicroseconds = grace
        }
        if let tick = try Self.microseconds(tick, option: "--tick") { settings.tickMicroseconds = tick }
        if let interval = try Self.microseconds(statusInterval, option: "--status-interval") {
            settings.statusReadMicroseconds = interval
        }
        if let interval = try Self.microseconds(progressInterval, option: "--progress-interval") {
            settings.policy.progressIntervalMicroseconds = interval
        }
        let defaults = settings.policy.restartPolicy
        settings.policy.restartPolicy = RestartPolicy(
            initialDelayMicroseconds: try Self.microseconds(restartDelay, option: "--restart-delay")
                ?? defaults.initialDelayMicroseconds,
            maximumDelayMicroseconds: try Self.microseconds(maximumRestartDelay, option: "--max-restart-delay")
                ?? defaults.maximumDelayMicroseconds,
            jitterFraction: defaults.jitterFraction,
            healthyAfterMicroseconds: try Self.microseconds(healthyAfter, option: "--healthy-after")
                ?? defaults.healthyAfterMicroseconds)
        return settings
    }

    /// The microseconds of an optional duration option; a usage error (64) naming the option if malformed.
    private static func microseconds(_ text: String?, option: String) throws -> Int64? {
        guard let text else { return nil }
        guard let value = TimeSpan(configText: text)?.microseconds else {
            throw ValidationError("\(option) \(text): expected \(TimeSpan.expectedConfigForm)")
        }
        return value
    }

    private static func absolutePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
