import BytebitWebSocket
import Foundation
import Logging

/// A wss server between the receiver under test and an `--unlimited` kraken-sim: each accepted
/// connection gets its own upstream connection; requests go up as they come, and what the simulator
/// sends comes down one message at a time at an even `rate` (the simulator itself sends in ~10 ms
/// bursts, which would hide the per-message cost of a real feed). The upstream reader blocks while
/// 2,000 messages wait, so TCP holds the simulator back.
final class PacedRelay: WebSocketServerHandler, @unchecked Sendable {
    private let upstreamURL: WebSocketURL
    private let caFile: String
    private let rate: Double
    private let logger: Logger
    private var server: WebSocketServer?
    private let lock = NSCondition()
    /// Guarded by `lock`.
    private var links: [WebSocketConnectionID: Link] = [:]
    private var forwarded = 0

    /// Messages sent down so far, over every connection.
    var messagesForwarded: Int {
        lock.lock()
        defer { lock.unlock() }
        return forwarded
    }

    var port: Int { server?.boundPort ?? 0 }

    init(upstream: String, caFile: String, certificateFile: String, keyFile: String, rate: Double) throws {
        upstreamURL = try WebSocketURL(upstream)
        self.caFile = caFile
        self.rate = rate
        var logger = Logger(label: "bytebit.bench.relay")
        logger.logLevel = .warning
        self.logger = logger
        let server = try WebSocketServer(
            configuration: WebSocketServerConfiguration(tls: (certificateFile, keyFile)), handler: self, logger: logger)
        self.server = server
        server.start()
    }

    func stop() {
        _ = server?.stop()
        lock.lock()
        let open = links.values
        links.removeAll()
        lock.broadcast()
        lock.unlock()
        for link in open { link.client.stop() }
    }

    private final class Link: WebSocketHandler, @unchecked Sendable {
        let client: WebSocketClient
        weak var relay: PacedRelay?
        let id: WebSocketConnectionID
        var queue: [[UInt8]] = []  // guarded by the relay's lock
        var head = 0

        init(client: WebSocketClient, relay: PacedRelay, id: WebSocketConnectionID) {
            self.client = client
            self.relay = relay
            self.id = id
        }

        func webSocketDidReceive(_ message: UnsafeRawBufferPointer, isText: Bool) {
            relay?.enqueue(Array(message), on: self)
        }
    }

    func connectionDidOpen(_ id: WebSocketConnectionID) {
        guard
            let client = try? WebSocketClient(
                configuration: WebSocketClientConfiguration(url: upstreamURL, extraCAFile: caFile), logger: logger)
        else { return }
        let link = Link(client: client, relay: self, id: id)
        lock.lock()
        links[id] = link
        lock.unlock()
        Thread.detachNewThread { [weak self] in
            _ = client.run(handler: link)
            if let self { _ = self.server?.drop(id) }
        }
        Thread.detachNewThread { [weak self] in self?.pace(link) }
    }

    func connection(_ id: WebSocketConnectionID, didReceive message: UnsafeRawBufferPointer, isText: Bool) {
        lock.lock()
        let link = links[id]
        lock.unlock()
        link?.client.send(text: String(decoding: message, as: UTF8.self))
    }

    func connectionDidClose(_ id: WebSocketConnectionID) {
        lock.lock()
        let link = links.removeValue(forKey: id)
        lock.broadcast()
        lock.unlock()
        link?.client.stop()
    }

    private func enqueue(_ message: [UInt8], on link: Link) {
        lock.lock()
        while links[link.id] != nil && link.queue.count - link.head >= 2_000 { lock.wait() }
        link.queue.append(message)
        lock.broadcast()
        lock.unlock()
    }

    /// Sends the link's queue down at `rate` messages per second, each at its own scheduled instant.
    private func pace(_ link: Link) {
        let start = ProcessInfo.processInfo.systemUptime
        var sent = 0
        while true {
            let due = Int((ProcessInfo.processInfo.systemUptime - start) * rate) + 1
            lock.lock()
            while links[link.id] != nil && link.head == link.queue.count { lock.wait() }
            guard links[link.id] != nil else {
                lock.unlock()
                return
            }
            var batch: [[UInt8]] = []
            while sent + batch.count < due && link.head < link.queue.count {
                batch.append(link.queue[link.head])
                link.head += 1
            }
            if link.head > 4_096 {
                link.queue.removeFirst(link.head)
                link.head = 0
            }
            forwarded += batch.count
            lock.broadcast()
            lock.unlock()
            for message in batch {
                _ = message.withUnsafeBufferPointer { server?.send($0, to: link.id) }
            }
            sent += batch.count
            if sent < due { sent = due - 1 }  // an empty queue does not build a burst to catch up with
            let next = start + Double(sent) / rate
            let wait = next - ProcessInfo.processInfo.systemUptime
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        }
    }
}
