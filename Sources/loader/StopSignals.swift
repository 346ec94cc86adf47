import Dispatch
import Foundation

/// SIGTERM, SIGINT and (under a supervisor) the end of the stdin pipe, turned into one stop call.
/// The collector has the same in BytebitCollector, which the loader does not link (libwebsockets).
final class StopSignals: @unchecked Sendable {
    private let queue = DispatchQueue(label: "bytebit.loader-stop")
    private var sources: [DispatchSourceSignal] = []

    func start(onStop: @escaping @Sendable (String) -> Void) {
        // Foundation.Process children inherit the parent's mask and ignored dispositions: reset them.
        var mask = sigset_t()
        sigemptyset(&mask)
        pthread_sigmask(SIG_SETMASK, &mask, nil)
        for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { onStop("received \(name)") }
            source.resume()
            sources.append(source)
        }
        signal(SIGPIPE, SIG_IGN)
        var info = stat()
        if fstat(STDIN_FILENO, &info) == 0, (info.st_mode & S_IFMT) == S_IFIFO {
            let thread = Thread {
                var byte: UInt8 = 0
                while read(STDIN_FILENO, &byte, 1) > 0 {}
                onStop("stdin closed: the supervisor is gone")
            }
            thread.name = "bytebit.loader-stdin"
            thread.start()
        }
    }
}
