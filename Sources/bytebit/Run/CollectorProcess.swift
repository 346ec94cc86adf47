import BytebitCore
import Foundation
import Logging

/// One running `collector` child: its process, its stdin pipe (EOF tells it the supervisor is
/// gone) and the readers that log its output tagged with its group.
final class CollectorProcess: @unchecked Sendable {
    /// The group it records (the pair's name for a group of one).
    let name: String
    /// Its process id.
    let pid: Int32
    /// When it was started.
    let startedAt: UTCTimestamp
    private let process: Process
    private let stdinPipe: Pipe
    private let reader: ChildOutputReader

    /// Starts `executable` with `arguments` and `environment`; `onExit` runs on an arbitrary thread.
    init(
        name: String, executable: String, arguments: [String], environment: [String: String],
        startedAt: UTCTimestamp, logger: Logger,
        onExit: @escaping @Sendable (_ pid: Int32, ChildExit, _ lastProblem: String?) -> Void
    ) throws(SupervisorError) {
        self.name = name
        self.startedAt = startedAt
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        stdinPipe = Pipe()
        // One pipe for stdout and stderr: one reader thread per child (collectors log to stderr only).
        let outputPipe = Pipe()
        // No collector may inherit another's stdin (it would keep it open past the supervisor's
        // death): Foundation closes every descriptor above 2 in the child, and the parent's copies of
        // the child's ends after the spawn; close-on-exec here guards any other exec in this process.
        for pipe in [stdinPipe, outputPipe] {
            _ = fcntl(pipe.fileHandleForReading.fileDescriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(pipe.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        }
        process.standardInput = stdinPipe
        process.standardOutput = outputPipe
        process.standardError = outputPipe
        // The reader starts before the spawn so the exit handler below always has it.
        let reader = ChildOutputReader(handle: outputPipe.fileHandleForReading, logger: logger)
        self.reader = reader
        process.terminationHandler = { process in
            let exit: ChildExit = process.terminationReason == .uncaughtSignal
                ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
            reader.waitUntilEnd(seconds: 1)
            onExit(process.processIdentifier, exit, reader.lastProblemLine)
        }
        // posix_spawn passes this thread's signal mask on, and dispatch worker threads block most
        // signals: unmask for the spawn so a collector is not born deaf to SIGTERM.
        var everything = sigset_t()
        var previous = sigset_t()
        sigemptyset(&everything)
        pthread_sigmask(SIG_SETMASK, &everything, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        do {
            try process.run()
        } catch {
            // Closing the write end ends the reader, which would otherwise wait for a child that never ran.
            try? outputPipe.fileHandleForWriting.close()
            throw .cannotStartCollector(market: name, reason: "\(error)")
        }
        pid = process.processIdentifier
        reader.tag(pid: pid)
    }

    /// Asks it to flush and exit (SIGTERM).
    func terminate() {
        kill(pid, SIGTERM)
    }

    /// Kills it and anything it started at once (SIGKILL to its process group; it leads one).
    func killNow() {
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
    }

    /// Closes its stdin, the same EOF it would see if the supervisor died.
    func closeStandardInput() {
        try? stdinPipe.fileHandleForWriting.close()
    }
}
