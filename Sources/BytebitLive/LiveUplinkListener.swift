import Foundation
import Logging

/// The feed server's end of the collectors' Unix socket: accepts every collector, reads its
/// newline-delimited LiveMessage lines on a thread per collector, and publishes them to the hub.
/// A stale socket file from an earlier run is replaced; the socket is mode 0600 (only the user
/// running bytebit can feed it).
public final class LiveUplinkListener: @unchecked Sendable {
    public let path: String
    private let hub: LiveHub
    private let logger: Logger
    private let listening: Int32
    private let lock = NSLock()
    private var connections: Set<Int32> = []
    private var stopping = false

    /// The longest line taken from a collector; a longer one is dropped (a book of 1000 levels is ~60 KB).
    public static let maximumLineBytes = 4 * 1024 * 1024

    public init(path: String, hub: LiveHub, logger: Logger) throws(LiveFeedError) {
        guard var address = UnixSocket.address(path) else {
            throw .uplinkSocket(path: path, reason: "a Unix socket path must be 1 to \(UnixSocket.maximumPathBytes) bytes")
        }
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .uplinkSocket(path: path, reason: UnixSocket.errnoText()) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let previousMask = umask(0o077)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        umask(previousMask)
        guard bound == 0, listen(fd, 64) == 0 else {
            let reason = UnixSocket.errnoText()
            close(fd)
            throw .uplinkSocket(path: path, reason: reason)
        }
        self.path = path
        self.hub = hub
        self.logger = logger
        self.listening = fd
    }

    /// Accepts collectors on a thread of its own until `stop()`.
    public func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "live-uplink-accept"
        thread.start()
    }

    /// Closes the socket and every collector's connection; removes the socket file.
    public func stop() {
        let open = lock.withLock {
            stopping = true
            return connections
        }
        shutdown(listening, Int32(SHUT_RDWR))
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
        unlink(path)
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listening, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                if !lock.withLock({ stopping }) {
                    logger.error("live socket accept failed", metadata: ["error": "\(UnixSocket.errnoText())"])
                }
                close(listening)
                return
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            let accepted = lock.withLock {
                guard !stopping else { return false }
                connections.insert(fd)
                return true
            }
            guard accepted else {
                close(fd)
                continue
            }
            let thread = Thread { [self] in read(from: fd) }
            thread.name = "live-uplink-\(fd)"
            thread.start()
        }
    }

    private func read(from fd: Int32) {
        hub.collectorConnected()
        logger.info("a collector connected to the live socket")
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var line: [UInt8] = []
        var discarding = false
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            var start = 0
            for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
                if !discarding {
                    line.append(contentsOf: buffer[start..<index])
                    hub.publish(line)
                }
                discarding = false
                line.removeAll(keepingCapacity: true)
                start = index + 1
            }
            if !discarding { line.append(contentsOf: buffer[start..<count]) }
            if line.count > Self.maximumLineBytes {
                logger.warning("a collector sent a line over the limit; dropped", metadata: ["bytes": "\(line.count)"])
                line.removeAll()
                discarding = true
            }
        }
        lock.withLock { _ = connections.remove(fd) }
        close(fd)
        hub.collectorDisconnected()
        logger.info("a collector left the live socket")
    }
}
