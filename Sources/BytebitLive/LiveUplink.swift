import BytebitCore
import Foundation
import Logging

/// A collector's connection to the feed server's Unix socket (`--live-socket`): newline-delimited
/// LiveMessage JSON, written by a thread of its own from a bounded queue. The recorders' sinks only
/// append to the queue (`enqueue`), so a feed server that is absent, slow or stuck costs them
/// nothing but dropped, counted messages; the thread connects again by itself (backoff 0.1 s → 2 s)
/// when the server is absent or restarted. One uplink per collector process, shared by its markets.
public final class LiveUplink: @unchecked Sendable {
    public let socketPath: String
    /// Bytes the queue holds at most; a batch that does not fit is dropped.
    public let capacityBytes: Int
    private let logger: Logger
    private let condition = NSCondition()
    // Guarded by `condition`, so without run-time exclusivity checks.
    @exclusivity(unchecked) private var queue: [UInt8] = []
    @exclusivity(unchecked) private var queuedMessages = 0
    @exclusivity(unchecked) private var connected = false
    @exclusivity(unchecked) private var stopping = false
    @exclusivity(unchecked) private var finished = false
    @exclusivity(unchecked) private var sent = 0
    @exclusivity(unchecked) private var dropped = 0

    public static let minimumBackoff: Duration = .milliseconds(100)
    public static let maximumBackoff: Duration = .seconds(2)

    public init(socketPath: String, capacityBytes: Int = 8 * 1024 * 1024, logger: Logger) {
        self.socketPath = socketPath
        self.capacityBytes = max(capacityBytes, 1024)
        self.logger = logger
        let thread = Thread { [self] in run() }
        thread.name = "bytebit-live-uplink"
        thread.start()
    }

    /// Whether messages are being taken now (a sink skips encoding while not: they would be dropped).
    public var isConnected: Bool { condition.withLock { connected } }

    /// Messages written to the socket.
    public var sentCount: Int { condition.withLock { sent } }

    /// Messages that never reached the feed server (not connected, or the queue was full).
    public var droppedCount: Int { condition.withLock { dropped } }

    /// Hands over a batch of lines (each ends with a newline) and leaves `lines` empty, with a
    /// buffer to reuse; never waits. Into an empty queue the batch goes as it is (the buffers are
    /// swapped): copying every line into the queue cost ~80 instructions a message.
    public func enqueue(_ lines: inout [UInt8], messages: Int) {
        guard messages > 0 else { return }
        condition.lock()
        if connected, !stopping, queue.count + lines.count <= capacityBytes {
            if queue.isEmpty {
                swap(&queue, &lines)
            } else {
                queue.append(contentsOf: lines)
            }
            queuedMessages += messages
            condition.signal()
        } else {
            dropped += messages
        }
        condition.unlock()
        lines.removeAll(keepingCapacity: true)
    }

    /// Counts messages a sink did not even encode (the uplink was not connected).
    public func noteDropped(_ messages: Int) {
        guard messages > 0 else { return }
        condition.withLock { dropped += messages }
    }

    /// Stops the thread after it has written what is queued (up to `timeout`).
    public func close(timeout: Duration = .seconds(1)) {
        condition.lock()
        stopping = true
        condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: Double(timeout.components.seconds) + 0.5)
        while !finished, condition.wait(until: deadline) {}
        condition.unlock()
    }

    // MARK: - The uplink's thread

    private func run() {
        var backoff = Self.minimumBackoff
        var loggedAbsent = false
        while !condition.withLock({ stopping }) {
            guard let fd = UnixSocket.connect(to: socketPath) else {
                if !loggedAbsent {
                    logger.info("live feed server not reachable yet; retrying", metadata: ["live.socket": "\(socketPath)"])
                    loggedAbsent = true
                }
                waitWhileRunning(backoff)
                backoff = min(backoff * 2, Self.maximumBackoff)
                continue
            }
            backoff = Self.minimumBackoff
            loggedAbsent = false
            let droppedBefore = condition.withLock {
                connected = true
                return dropped
            }
            logger.info("connected to the live feed server", metadata: [
                "live.socket": "\(socketPath)", "live.dropped_so_far": "\(droppedBefore)",
            ])
            pump(fd)
            Foundation.close(fd)
        }
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }

    /// Writes the queue until the server goes away or the uplink stops.
    private func pump(_ fd: Int32) {
        var batch: [UInt8] = []
        while true {
            condition.lock()
            while queue.isEmpty, !stopping { condition.wait() }
            if queue.isEmpty, stopping {
                connected = false
                condition.unlock()
                return
            }
            swap(&queue, &batch)
            let messages = queuedMessages
            queuedMessages = 0
            condition.unlock()
            let ok = UnixSocket.writeAll(fd, batch)
            batch.removeAll(keepingCapacity: batch.capacity <= 1 << 20)
            let lost = condition.withLock {
                if ok {
                    sent += messages
                    return 0
                }
                // The server is gone: what it did not take, and what waits, is dropped.
                connected = false
                let lost = messages + queuedMessages
                dropped += lost
                queue.removeAll()
                queuedMessages = 0
                return lost
            }
            if !ok {
                logger.warning("the live feed server went away; reconnecting", metadata: [
                    "live.socket": "\(socketPath)", "live.dropped": "\(lost)",
                ])
                return
            }
        }
    }

    private func waitWhileRunning(_ span: Duration) {
        let (seconds, attoseconds) = span.components
        let deadline = Date(timeIntervalSinceNow: Double(seconds) + Double(attoseconds) / 1e18)
        condition.lock()
        while !stopping, condition.wait(until: deadline) {}
        condition.unlock()
    }
}
