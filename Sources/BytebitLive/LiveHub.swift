import BytebitCore
import Foundation
import Logging

/// Routes the collectors' messages to the feed's clients. Collectors' readers call `publish` from
/// their threads; the server calls the client methods from its service thread. Each client gets
/// what it subscribed to, conflated and bounded by `LiveClientSession` and `limits`; a client that
/// falls behind is disconnected (close 1013), so no client holds memory without bound or slows
/// anyone else.
public final class LiveHub: @unchecked Sendable {
    /// The close code for a client too slow to keep: "try again later".
    public static let slowClientCloseCode = 1013

    public let limits: LiveClientLimits
    private let clock: any WallClock
    private let logger: Logger
    private let lock = NSLock()
    // Guarded by `lock`.
    private var sessions: [UInt64: LiveClientSession] = [:]
    private var counters = LiveFeedCounters()
    private weak var output: (any LiveClientOutput)?

    public init(limits: LiveClientLimits = .init(), clock: any WallClock = SystemClock(), logger: Logger) {
        self.limits = limits
        self.clock = clock
        self.logger = logger
    }

    /// Where client messages go (the server); set once, before clients connect.
    public func attach(_ output: any LiveClientOutput) {
        lock.withLock { self.output = output }
    }

    public var snapshot: LiveFeedCounters {
        lock.withLock {
            var copy = counters
            copy.clientsConnected = sessions.count
            return copy
        }
    }

    // MARK: - Collectors

    /// One LiveMessage line from a collector (no newline).
    public func publish(_ line: [UInt8]) {
        guard let envelope = LiveEnvelope(line: line) else {
            let first = lock.withLock {
                counters.malformedLines += 1
                return counters.malformedLines == 1
            }
            if first { logger.warning("a collector sent a line that is not a live message; ignoring such lines") }
            return
        }
        var wake: [UInt64] = []
        var slow: [(LiveClientSession, Int)] = []
        lock.lock()
        counters.messagesReceived += 1
        for session in sessions.values {
            switch session.offer(envelope, bytes: line, limits: limits, counters: &counters) {
            case .notWanted: break
            case .queued: wake.append(session.id)
            case .overLimit:
                let lost = session.undelivered + 1
                sessions[session.id] = nil
                counters.disconnectedSlow += 1
                counters.messagesDropped += lost
                slow.append((session, lost))
            }
        }
        let output = self.output
        lock.unlock()
        for id in wake { output?.requestWritable(id) }
        for (session, lost) in slow {
            logger.warning("disconnecting a slow client", metadata: [
                "client": "\(session.peer)", "client.id": "\(session.id)", "client.dropped": "\(lost)",
                "client.queue_limit_bytes": "\(limits.maximumQueuedBytes)", "ws.close_code": "\(Self.slowClientCloseCode)",
            ])
            output?.disconnect(session.id, code: Self.slowClientCloseCode, reason: "too slow: fell behind the feed")
        }
    }

    /// A request was refused for a missing or wrong token.
    public func noteRefused() { lock.withLock { counters.refusedUnauthorized += 1 } }

    public func collectorConnected() { lock.withLock { counters.collectorsConnected += 1 } }
    public func collectorDisconnected() { lock.withLock { counters.collectorsConnected -= 1 } }

    // MARK: - Clients (the server's service thread)

    public func clientOpened(_ id: UInt64, peer: String) {
        lock.withLock { sessions[id] = LiveClientSession(id: id, peer: peer) }
        logger.info("client connected", metadata: ["client": "\(peer)", "client.id": "\(id)"])
    }

    public func clientClosed(_ id: UInt64) {
        guard let session = lock.withLock({ sessions.removeValue(forKey: id) }) else { return }
        logger.info("client disconnected", metadata: ["client": "\(session.peer)", "client.id": "\(id)"])
    }

    /// A client's message: a subscribe (acknowledged) or an error reply; never a crash.
    public func client(_ id: UInt64, sent message: [UInt8]) {
        let result = LiveSubscription.parse(message)
        lock.lock()
        guard let session = sessions[id] else {
            lock.unlock()
            return
        }
        switch result {
        case .success(let subscription):
            session.subscription = subscription
            session.queueReply(subscription.acknowledgement)
        case .failure(let error):
            session.queueReply(error.reply)
        }
        let output = self.output
        let peer = session.peer
        lock.unlock()
        if case .failure(let error) = result {
            logger.info("a client sent a bad subscribe", metadata: ["client": "\(peer)", "error": "\(error.message)"])
        }
        output?.requestWritable(id)
    }

    /// The connection's queue is empty: hand it what is due.
    public func clientIsWritable(_ id: UInt64) {
        let now = clock.now().microseconds
        lock.lock()
        let batch = sessions[id]?.takeDue(now: now, limits: limits) ?? []
        counters.messagesSent += batch.count
        let output = self.output
        lock.unlock()
        for message in batch { output?.send(message, to: id) }
    }

    /// The server's tick: clients with a book waiting for its interval get another writable call.
    public func tick() {
        lock.lock()
        let waiting = sessions.values.filter(\.hasPendingBooks).map(\.id)
        let output = self.output
        lock.unlock()
        for id in waiting { output?.requestWritable(id) }
    }
}
