import Dispatch
import Foundation

/// Turns the ways a collector is asked to stop — SIGTERM, SIGINT, and its supervisor's stdin pipe
/// reaching EOF — into one call of `onStop`, exactly once.
public final class StopRequests: @unchecked Sendable {
    private let queue = DispatchQueue(label: "bytebit.stop-requests")
    private var sources: [DispatchSourceSignal] = []
    private var onStop: (@Sendable (String) -> Void)?

    public init() {}

    /// Starts watching. `watchStdin`: exit when stdin is a pipe that reaches EOF (the supervisor is
    /// gone); a terminal or /dev/null on stdin is not watched, so a collector run by hand or by
    /// systemd directly keeps running.
    public func start(onStop: @escaping @Sendable (String) -> Void) {
        queue.sync { self.onStop = onStop }
        // Foundation.Process children inherit the parent's mask and ignored dispositions: reset them.
        var mask = sigset_t()
        sigemptyset(&mask)
        pthread_sigmask(SIG_SETMASK, &mask, nil)
        for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in self?.fire("received \(name)") }
            source.resume()
            sources.append(source)
        }
        signal(SIGPIPE, SIG_IGN)
        if Self.stdinIsPipe {
            let thread = Thread { [weak self] in
                var byte: UInt8 = 0
                while read(STDIN_FILENO, &byte, 1) > 0 {}
                guard let self else { return }
                self.queue.async { self.fire("stdin closed: the supervisor is gone") }
            }
            thread.name = "bytebit.stdin-watch"
            thread.start()
        }
    }

    private func fire(_ reason: String) {
        guard let onStop else { return }
        self.onStop = nil
        onStop(reason)
    }

    private static var stdinIsPipe: Bool {
        var info = stat()
        guard fstat(STDIN_FILENO, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFIFO
    }
}
