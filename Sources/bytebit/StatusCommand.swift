import ArgumentParser
import BytebitCore
import Foundation

/// `bytebit status`: the live state of a running `bytebit run`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each market of a running `bytebit run`: state, pid, uptime, restarts, last message age, "
            + "rows, checksum failures, reconnects.",
        discussion: "Reads <log_dir>/run/. Exits 0 while bytebit run is running, 1 when it is not, "
            + "78 on an invalid config."
    )

    @OptionGroup var configOption: ConfigOption

    func run() throws {
        let config = try configOption.load()
        let runDirectory = RunDirectory(logDirectory: config.logDirectory)
        let now = SystemClock().now()
        let state = try? SupervisorState.read(from: runDirectory.stateFile)
        guard let state, StatusReport.isRunning(state, pidIsAlive: Self.isAlive(state.pid), now: now) else {
            print(StatusReport.notRunningMessage(stateFile: runDirectory.stateFile, lastState: state, now: now))
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        var collectors: [String: CollectorStatus] = [:]
        for market in state.markets {
            collectors[market.market] = try? CollectorStatus.read(
                from: "\(runDirectory.marketsDirectory)/\(market.market).json")
        }
        let ledger = ConnectionLedger(path: runDirectory.connectionLedger)
        let attempts = FileManager.default.fileExists(atPath: ledger.path)
            ? (try? ledger.recentAttemptCount(now: now)).map { (recent: $0, limit: ledger.limit) } : nil
        print(StatusReport.render(state: state, collectors: collectors, now: now, connectionAttempts: attempts),
              terminator: "")
    }

    /// Whether a process with this pid exists (EPERM: it exists but belongs to another user).
    private static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
