import BytebitCore
import Foundation
import Logging

/// `bytebit run`'s event loop: one serial queue owns the table of markets; process exits, signals,
/// timers and reloads all hop onto it, so no state is shared between threads.
final class Supervisor: @unchecked Sendable {
    let queue = DispatchQueue(label: "bytebit.supervisor")
    let settings: SupervisorSettings
    let clock: any WallClock = SystemClock()
    let configPath: String
    let runDirectory: RunDirectory
    let logger: Logger
    let logSinks: LogSinks
    let notifier: SystemdNotifier?
    let childEnvironment: [String: String]
    let startedAt: UTCTimestamp

    var config: BytebitConfig
    /// The config file collectors are started with: the snapshot of `config`, or the user's file.
    var collectorConfigPath: String
    var slots: [MarketPair: MarketSlot] = [:]
    /// Markets in config order, then any removed ones still stopping.
    var order: [MarketPair] = []
    var isShuttingDown = false
    var completion: (@Sendable (Int32) -> Void)?
    var timers: [any DispatchSourceTimer] = []
    var signalPipe: SignalPipe?
    var lockDescriptor: Int32 = -1
    /// Whether this supervisor holds the run folder's lock (and so may write and remove its state).
    var ownsRunDirectory = false
    var lastStatusSummary = ""
    var hasReportedStateWriteFailure = false

    init(
        config: BytebitConfig, configPath: String, settings: SupervisorSettings, logger: Logger, logSinks: LogSinks,
        environment: [String: String]
    ) {
        self.config = config
        self.configPath = configPath
        collectorConfigPath = configPath
        self.settings = settings
        self.logger = logger
        self.logSinks = logSinks
        runDirectory = RunDirectory(logDirectory: config.logDirectory)
        notifier = SystemdNotifier(environment: environment)
        childEnvironment = SupervisorSettings.childEnvironment(from: environment)
        startedAt = clock.now()
    }

    /// Runs until a clean stop (0) or a failure (its exit status).
    func run() async -> Int32 {
        await withCheckedContinuation { continuation in
            queue.async {
                self.start { code in continuation.resume(returning: code) }
            }
        }
    }

    private func start(completion: @escaping @Sendable (Int32) -> Void) {
        self.completion = completion
        do {
            try prepareRunDirectory()
            let signals = [SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGPIPE]
            signalPipe = try SignalPipe(signals: signals, queue: queue) { [weak self] in self?.handleSignal($0) }
        } catch {
            logger.error("cannot start the supervisor", metadata: ["error": "\(error)"])
            finish(code: ExitStatus.failure.rawValue)
            return
        }
        writeConfigSnapshot()
        logger.notice(
            "supervisor started",
            metadata: [
                "config": "\(configPath)", "markets": "\(config.markets.count)", "pid": "\(getpid())",
                "run_dir": "\(runDirectory.path)",
            ])
        for market in config.markets {
            order.append(market.pair)
            slots[market.pair] = MarketSlot(market: market, backoff: RestartBackoff(policy: settings.restartPolicy))
            startCollector(market.pair)
        }
        writeState()
        notifier?.send("READY=1\nSTATUS=\(currentState().summary)")
        lastStatusSummary = currentState().summary
        startTimers()
    }

    private func prepareRunDirectory() throws(SupervisorError) {
        for path in [runDirectory.path, runDirectory.marketsDirectory] {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw .cannotCreateDirectory(path: path, reason: "\(error.localizedDescription)")
            }
        }
        // One supervisor per run folder: a second one would fight the first over every market.
        let lockPath = "\(runDirectory.path)/supervisor.lock"
        lockDescriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lockDescriptor >= 0 else { throw .cannotWrite(path: lockPath, reason: String(cString: strerror(errno))) }
        guard flock(lockDescriptor, LOCK_EX | LOCK_NB) == 0 else {
            throw .cannotWrite(
                path: lockPath, reason: "another `bytebit run` already uses \(runDirectory.path); stop it first")
        }
        ownsRunDirectory = true
    }

    private func startTimers() {
        let tick = DispatchSource.makeTimerSource(queue: queue)
        tick.schedule(deadline: .now() + .microseconds(Int(settings.tickMicroseconds)),
                      repeating: .microseconds(Int(settings.tickMicroseconds)))
        tick.setEventHandler { [weak self] in self?.tick() }
        tick.resume()
        timers.append(tick)
        if let interval = notifier?.watchdogInterval {
            // Petted from the supervisor's own queue: a stuck loop stops the pets and systemd restarts us.
            let watchdog = DispatchSource.makeTimerSource(queue: queue)
            watchdog.schedule(deadline: .now(), repeating: .microseconds(Int(interval)))
            watchdog.setEventHandler { [weak self] in self?.notifier?.send("WATCHDOG=1") }
            watchdog.resume()
            timers.append(watchdog)
        }
        if let duration = settings.durationMicroseconds {
            queue.asyncAfter(deadline: .now() + .microseconds(Int(duration))) { [weak self] in
                guard let self, !self.isShuttingDown else { return }
                self.logger.notice(
                    "duration reached", metadata: ["duration": "\(DurationText.text(microseconds: duration))"])
                self.beginShutdown()
            }
        }
    }

    private func handleSignal(_ number: Int32) {
        switch number {
        case SIGTERM, SIGINT:
            if isShuttingDown {
                killEverythingNow(signal: number)
            } else {
                logger.notice("signal received: stopping every collector", metadata: ["signal": "\(number)"])
                beginShutdown()
            }
        case SIGHUP:
            reload()
        case SIGUSR1:
            logSinks.reopen()
            logger.notice("log file reopened", metadata: ["signal": "SIGUSR1"])
        default:
            // SIGPIPE (stderr's reader went away): caught rather than ignored, so that collectors do
            // not inherit an ignored SIGPIPE; the failed write itself is harmless.
            break
        }
    }

    /// Writes the snapshot collectors start from; falls back to the user's file if it cannot.
    func writeConfigSnapshot() {
        do {
            if try ConfigSnapshot.write(config, to: runDirectory.configSnapshot) {
                collectorConfigPath = runDirectory.configSnapshot
                return
            }
            logger.warning(
                "the configuration snapshot does not read back the same; collectors read the config file itself",
                metadata: ["snapshot": "\(runDirectory.configSnapshot)"])
        } catch {
            logger.warning(
                "cannot write the configuration snapshot; collectors read the config file itself",
                metadata: ["error": "\(error)"])
        }
        collectorConfigPath = configPath
    }

    /// The state as `bytebit status` will read it.
    func currentState() -> SupervisorState {
        SupervisorState(
            pid: getpid(), startedAt: startedAt, updatedAt: clock.now(), configPath: configPath,
            markets: order.compactMap { slots[$0]?.stateEntry })
    }

    func writeState() {
        let state = currentState()
        do {
            try state.write(to: runDirectory.stateFile)
            hasReportedStateWriteFailure = false
        } catch {
            if !hasReportedStateWriteFailure {
                logger.error("cannot write the state file", metadata: ["error": "\(error)"])
                hasReportedStateWriteFailure = true
            }
        }
        let summary = state.summary
        if summary != lastStatusSummary {
            lastStatusSummary = summary
            notifier?.send("STATUS=\(summary)")
        }
    }

    /// Ends the run: stops timers, removes the state file (nothing runs any more) and reports `code`.
    func finish(code: Int32) {
        guard let completion else { return }
        self.completion = nil
        for timer in timers { timer.cancel() }
        timers = []
        if ownsRunDirectory { unlink(runDirectory.stateFile) }
        logger.notice("supervisor stopped", metadata: ["exit_code": "\(code)"])
        completion(code)
    }
}
