import BytebitCore
import Foundation
import Logging

/// `bytebit run`'s event loop: performs what `SupervisorMachine` decides. One serial queue owns the
/// machine and the running processes; process exits, signals, timers and reloads all hop onto it,
/// so no state is shared between threads.
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

    var machine: SupervisorMachine
    /// The config file collectors are started with: the snapshot of the running config, or the user's file.
    var collectorConfigPath: String
    /// The running collectors, by their group's name.
    var processes: [String: CollectorProcess] = [:]
    var completion: (@Sendable (Int32) -> Void)?
    var timers: [any DispatchSourceTimer] = []
    var signalPipe: SignalPipe?
    var lockDescriptor: Int32 = -1
    /// Whether this supervisor holds the run folder's lock (and so may write and remove its state).
    var ownsRunDirectory = false
    var hasReportedStateWriteFailure = false
    /// The state last written to the state file (nil before the first, or after a failed write).
    var lastWrittenState: SupervisorState?
    var ticksSinceStatusRead = 0
    /// The status files last parsed, by collector name: parsed again only once rewritten.
    var statusReads: [String: StatusRead] = [:]
    /// The modification time of the online pair list when it was last read (`all_markets`).
    var instrumentsReadAt: UTCTimestamp?

    init(
        config: BytebitConfig, configPath: String, settings: SupervisorSettings, logger: Logger, logSinks: LogSinks,
        environment: [String: String]
    ) {
        machine = SupervisorMachine(
            config: config, policy: settings.policy,
            random: SeededRandomNumberGenerator(seed: UInt64.random(in: 0...UInt64.max)))
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
        writeConfigSnapshot(machine.config)
        let config = machine.config
        logger.notice(
            "supervisor started",
            metadata: [
                "config": "\(configPath)", "markets": "\(config.markets.count)", "pid": "\(getpid())",
                "data_dir": "\(config.dataDirectory)", "log_file": "\(config.logDirectory)/bytebit.log",
                "run_dir": "\(runDirectory.path)",
            ])
        if let warning = config.connectionBudgetWarning { logger.warning("\(warning)") }
        handle(.start)
        startTimers()
    }

    private func prepareRunDirectory() throws(SupervisorError) {
        for path in [runDirectory.path, runDirectory.marketsDirectory, runDirectory.collectorsDirectory,
                     runDirectory.servicesDirectory] {
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
        guard flock(lockDescriptor, LOCK_EX | LOCK_NB) == 0 else { throw .alreadyRunning(runDirectory: runDirectory.path) }
        ownsRunDirectory = true
        // A list left by an earlier run may be out of date: the fresh watcher writes the current one.
        unlink(runDirectory.instrumentsFile)
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
    }

    private func handleSignal(_ number: Int32) {
        switch number {
        case SIGTERM, SIGINT:
            handle(.stopRequested(signal: number))
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

    /// SIGHUP: reads the edited file; the machine decides what changes. An invalid file changes nothing.
    private func reload() {
        guard !machine.isShuttingDown else { return }
        logger.notice("reloading the configuration", metadata: ["config": "\(configPath)"])
        do {
            let new = try ConfigLoader.load(path: configPath)
            // Before any collector starts on it: restarted and new collectors read the snapshot.
            writeConfigSnapshot(new)
            handle(.reloadRequested(new))
        } catch {
            handle(.reloadRejected(reason: error.description))
        }
    }

    /// The periodic check: heartbeats every tick, the collectors' statuses every few seconds, then the state file.
    private func tick() {
        let statusFiles = Heartbeat.statusFiles(of: machine.runningCollectors.mapValues(\.pairs), in: runDirectory)
        let heartbeats = statusFiles.compactMapValues(modificationTime)
        handle(.tick(heartbeats: heartbeats))
        readOnlinePairsIfChanged()
        ticksSinceStatusRead += 1
        if Int64(ticksSinceStatusRead) * settings.tickMicroseconds >= settings.statusReadMicroseconds {
            ticksSinceStatusRead = 0
            handle(.statusesRead(readStatuses(statusFiles, modified: heartbeats)))
        }
        writeState()
    }

    /// Every running collector's statuses: a file is parsed again only when it was rewritten since
    /// the last read (a group's file holds its markets' statuses; parsing 672 of them every 5 s was
    /// most of the supervisor's CPU).
    private func readStatuses(_ files: [String: String], modified: [String: UTCTimestamp]) -> [CollectorStatus] {
        var statuses: [CollectorStatus] = []
        var read: [String: StatusRead] = [:]
        for (name, path) in files {
            guard let modifiedAt = modified[name] else { continue }
            if let cached = statusReads[name], cached.path == path, cached.modifiedAt == modifiedAt {
                read[name] = cached
            } else if let parsed = try? CollectorStatusFile.read(from: path) {
                read[name] = StatusRead(path: path, modifiedAt: modifiedAt, statuses: parsed)
            }
            statuses += read[name]?.statuses ?? []
        }
        statusReads = read
        return statuses
    }

    /// `all_markets`: when the watcher rewrote the online pair list, hands the new list to the machine.
    private func readOnlinePairsIfChanged() {
        guard machine.config.allMarkets != nil,
            let modified = modificationTime(runDirectory.instrumentsFile), modified != instrumentsReadAt
        else { return }
        do {
            let pairs = try OnlinePairs.read(from: runDirectory.instrumentsFile)
            instrumentsReadAt = modified
            handle(.onlinePairsChanged(pairs))
        } catch {
            instrumentsReadAt = modified
            logger.error("cannot read the online pair list; keeping the markets recorded now",
                         metadata: ["error": "\(error)"])
        }
    }

    /// When `path` was last rewritten (each rewrite of a status file is a new file, so its
    /// modification time is the heartbeat; a `stat` is cheaper than parsing the file every second).
    private func modificationTime(_ path: String) -> UTCTimestamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UTCTimestamp(
            microsecondsSince1970: Int64(info.st_mtim.tv_sec) * 1_000_000 + Int64(info.st_mtim.tv_nsec) / 1_000)
    }

    /// Writes the snapshot collectors start from; falls back to the user's file if it cannot.
    private func writeConfigSnapshot(_ config: BytebitConfig) {
        do {
            if try ConfigSnapshot.write(config, to: runDirectory.configSnapshot, environment: childEnvironment) {
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
    private func currentState() -> SupervisorState {
        SupervisorState(
            pid: getpid(), startedAt: startedAt, updatedAt: clock.now(), configPath: configPath,
            markets: machine.marketStates)
    }

    func writeState() {
        guard completion != nil else { return }
        let state = currentState()
        guard let update = state.fileUpdate(after: lastWrittenState) else { return }
        do {
            if update == .touch, (try? SupervisorState.touch(path: runDirectory.stateFile, now: state.updatedAt)) != nil {
                lastWrittenState?.updatedAt = state.updatedAt
                return
            }
            try state.write(to: runDirectory.stateFile)
            lastWrittenState = state
            hasReportedStateWriteFailure = false
        } catch {
            if !hasReportedStateWriteFailure {
                logger.error("cannot write the state file", metadata: ["error": "\(error)"])
                hasReportedStateWriteFailure = true
            }
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

/// One collector's status file as the supervisor last parsed it.
struct StatusRead {
    var path: String
    var modifiedAt: UTCTimestamp
    var statuses: [CollectorStatus]
}
