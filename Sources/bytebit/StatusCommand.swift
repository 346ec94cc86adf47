import ArgumentParser
import BytebitCore
import BytebitLoaderStatus
import Foundation

/// `bytebit status`: the live state of a running `bytebit run`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each market of a running `bytebit run`: state, pid, uptime, restarts, last message age, "
            + "rows, checksum failures, reconnects, rows lost.",
        discussion: "Reads <log_dir>/run/. Works from the run folder alone when the config cannot be read or is "
            + "invalid (e.g. after a rejected reload): it says so, then shows what the run folder has. "
            + "Exits 0 while bytebit run is running, 1 when it is not."
    )

    @OptionGroup var configOption: ConfigOption

    @Argument(help: "Show only these markets' rows and notes (e.g. BTC-USD ETH-USD); the summary lines stay the whole run's.")
    var pairs: [String] = []

    func run() throws {
        let only = try Self.markets(named: pairs)
        let runDirectory: RunDirectory
        do {
            runDirectory = RunDirectory(logDirectory: try ConfigLoader.load(path: configOption.config).logDirectory)
        } catch {
            // Exactly when the operator needs it most (a rejected reload, a half-edited file): answer anyway.
            let located = RunDirectory.locate(configPath: configOption.config)
            print("the config cannot be used: \(error.description)")
            print("showing the run folder \(located.directory.path) (from \(located.source)); a running "
                + "bytebit run keeps the configuration it last loaded")
            runDirectory = located.directory
        }
        let now = SystemClock().now()
        // The supervisor refreshes an unchanged state by touching the file: its time counts.
        let state = (try? SupervisorState.read(from: runDirectory.stateFile))?.refreshed(path: runDirectory.stateFile)
        guard let state, StatusReport.isRunning(state, pidIsAlive: Self.isAlive(state.pid), now: now) else {
            print(StatusReport.notRunningMessage(stateFile: runDirectory.stateFile, lastState: state, now: now))
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        var collectors: [String: CollectorStatus] = [:]
        for (path, _) in StatusReport.statusFiles(of: state, in: runDirectory) {
            for status in (try? CollectorStatusFile.read(from: path)) ?? [] { collectors[status.market] = status }
        }
        let ledger = ConnectionLedger(path: runDirectory.connectionLedger)
        let attempts = FileManager.default.fileExists(atPath: ledger.path)
            ? (try? ledger.recentAttemptCount(now: now)).map { (recent: $0, limit: ledger.limit) } : nil
        print(StatusReport.render(
            state: state, collectors: collectors, now: now, connectionAttempts: attempts, only: only), terminator: "")
        if let only {
            let unknown = only.subtracting(state.markets.map(\.market)).sorted()
            if !unknown.isEmpty { print("not recorded by this run: \(unknown.joined(separator: ", "))") }
        }
        if let live = Self.liveFeedLine(runDirectory: runDirectory, now: now) { print(live) }
        if let loader = try? LoaderStatus.read(from: runDirectory.serviceStatusFile("loader")) {
            print(loader.summary(now: Double(now.microseconds) / 1_000_000))
        }
    }

    /// The markets `names` asks for, read as in config.yaml (`XBT-USD` is `BTC-USD`); nil: every market.
    static func markets(named names: [String]) throws -> Set<String>? {
        guard !names.isEmpty else { return nil }
        return Set(try names.map { name in
            guard let pair = MarketPair(parsing: name) else { throw ValidationError(MarketPair.notAPairName(name)) }
            return pair.name
        })
    }

    /// Whether a process with this pid exists (EPERM: it exists but belongs to another user).
    private static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
