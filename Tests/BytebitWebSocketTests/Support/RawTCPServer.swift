import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A bare TCP listener on 127.0.0.1 that plays a misbehaving server: one scripted reply per connection.
final class RawTCPServer: @unchecked Sendable {
    enum Behaviour: Sendable {
        /// Accept and never answer (handshake hangs).
        case silent
        /// Read the request, then write these bytes and close.
        case reply([UInt8])
        /// Write these bytes as soon as the connection is accepted (before the client's request), then close.
        case replyAtOnce([UInt8])
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let port: Int
    /// Set once a connection was accepted.
    let accepted = Eventually<Bool>()
    private let listener: Int32
    private let behaviour: Behaviour
    private let lock = NSLock()
    private var connections: [Int32] = []
    private var isClosed = false

    init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            close(fd)
            throw Failure(description: "bind/listen failed: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// A port on which nothing listens (bound, then released).
    static func refusedPort() throws -> Int {
        let server = try RawTCPServer(.silent)
        let port = server.port
        server.shutdown()
        return port
    }

    /// Accepts until `shutdown()`. This thread owns every descriptor and closes them only when it
    /// is done: were `shutdown()` to close the listener, the number could be reused by the next
    /// test's socket before this thread's next `accept`, which would then steal its connection.
    private func acceptLoop() {
        defer {
            lock.lock()
            let open = connections
            connections = []
            lock.unlock()
            for connection in open { close(connection) }
            close(listener)
        }
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            lock.lock()
            connections.append(connection)
            let closed = isClosed
            lock.unlock()
            if closed { return }
            accepted.fulfil(true)
            switch behaviour {
            case .silent:
                break
            case .reply(let bytes):
                readRequestHead(connection)
                bytes.withUnsafeBytes { _ = send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                Glibc.shutdown(connection, Int32(SHUT_RDWR))
            case .replyAtOnce(let bytes):
                bytes.withUnsafeBytes { _ = send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                Glibc.shutdown(connection, Int32(SHUT_WR))
            }
        }
    }

    /// Reads until the blank line that ends the HTTP request head (or the peer goes away).
    private func readRequestHead(_ connection: Int32) {
        var seen: [UInt8] = []
        var byte: UInt8 = 0
        while recv(connection, &byte, 1, 0) == 1 {
            seen.append(byte)
            if seen.count >= 4 && seen.suffix(4).elementsEqual([13, 10, 13, 10]) { return }
        }
    }

    /// Stops accepting and hangs up every connection; the accept thread then closes the descriptors.
    func shutdown() {
        lock.lock()
        guard !isClosed else {
            lock.unlock()
            return
        }
        isClosed = true
        let open = connections
        lock.unlock()
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        for connection in open { Glibc.shutdown(connection, Int32(SHUT_RDWR)) }
    }

    deinit { shutdown() }
}
