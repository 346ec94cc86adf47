import Foundation

/// The write end of the self-pipe the C signal handler writes to; set once before any handler is installed.
nonisolated(unsafe) private var signalPipeWriteDescriptor: Int32 = -1

/// Turns process signals into events on a dispatch queue through a self-pipe.
///
/// A real handler (not `SIG_IGN`, not a blocked mask) is installed on purpose: `exec` resets caught
/// signals to their default, while ignored signals and the mask would be inherited by every
/// collector started with `Foundation.Process`, which would then ignore the supervisor's SIGTERM.
final class SignalPipe: @unchecked Sendable {
    private let source: any DispatchSourceRead
    private let readDescriptor: Int32

    /// Delivers each of `signals` to `handler` on `queue`.
    init(signals: [Int32], queue: DispatchQueue, handler: @escaping @Sendable (Int32) -> Void) throws {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            throw SignalPipeError(reason: String(cString: strerror(errno)))
        }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
        readDescriptor = descriptors[0]
        signalPipeWriteDescriptor = descriptors[1]
        let readEnd = descriptors[0]
        source = DispatchSource.makeReadSource(fileDescriptor: readEnd, queue: queue)
        source.setEventHandler {
            var bytes = [UInt8](repeating: 0, count: 64)
            let count = bytes.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            for byte in bytes[0..<count] { handler(Int32(byte)) }
        }
        source.resume()
        for number in signals {
            signal(number) { number in
                // Only async-signal-safe calls here: one write(2) of the signal number.
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWriteDescriptor, &byte, 1)
            }
        }
    }
}

/// The self-pipe for signals could not be created.
struct SignalPipeError: Error, CustomStringConvertible {
    let reason: String
    var description: String { "cannot create the signal pipe: \(reason)" }
}
