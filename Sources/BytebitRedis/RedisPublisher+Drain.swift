import Foundation
import Logging

/// The publishing thread: connect (with backoff while Redis is away), then take the queue in
/// batches and pipeline each batch: append every `PUBLISH`, then read the replies in order.
extension RedisPublisher {
    func drain() {
        var connection: RedisConnection?
        var backoff = settings.firstBackoff
        var batch: [Message] = []
        while true {
            guard let open = connection else {
                if condition.withLock({ isClosing }) { break }
                do {
                    connection = try RedisConnection.open(settings.endpoint, timeout: settings.ioTimeout)
                    backoff = settings.firstBackoff
                    markUp()
                } catch {
                    markDown(reason: error.description)
                    logger.debug("redis: connection attempt failed", metadata: [
                        "error": "\(error)", "retry_in": "\(backoff)",
                    ])
                    waitUnlessClosing(backoff)
                    backoff = min(backoff * 2, settings.maxBackoff)
                }
                continue
            }
            guard takeBatch(into: &batch) else { break }
            do {
                try publish(batch, on: open)
            } catch {
                connection = nil
                markDown(reason: error.description)
            }
            batch.removeAll(keepingCapacity: true)
        }
        condition.withLock {
            countQueueAsDropped()
            // Closed: not connected any more, and nothing more is taken (not news for the ledger).
            if !phase.isDown { phase = .down(reason: "closed", since: .now) }
            hasFinished = true
            condition.broadcast()
        }
    }

    /// Waits for queued messages and moves up to `batchLimit` of them into `batch`; false when
    /// closing with nothing left to send.
    private func takeBatch(into batch: inout [Message]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty, !isClosing { condition.wait() }
        if queue.isEmpty { return false }
        let count = min(queue.count, settings.batchLimit)
        batch.append(contentsOf: queue.prefix(count))
        queue.removeFirst(count)
        queuedBytes -= batch.reduce(0) { $0 + $1.payload.count }
        return true
    }

    /// One pipeline. A message counts as sent when the server took every one of its `PUBLISH`es;
    /// when the connection breaks, the batch's unconfirmed messages count as dropped.
    private func publish(_ batch: [Message], on connection: RedisConnection) throws(RedisError) {
        var confirmed = 0
        do {
            for message in batch {
                for channel in message.channels {
                    try connection.appendPublish(channel: channel, message: message.payload)
                }
            }
            var refusals: [String] = []
            for message in batch {
                var isTaken = true
                for _ in message.channels {
                    if case .error(let reply) = try connection.readReply() {
                        isTaken = false
                        refusals.append(reply)
                    }
                }
                condition.withLock {
                    if isTaken { sources[message.source].sent += 1 } else { countDropped(1, source: message.source) }
                }
                confirmed += 1
            }
            if let refusal = refusals.first {
                logger.warning("redis: PUBLISH refused; those messages are dropped", metadata: [
                    "reply": "\(refusal)", "refused": "\(refusals.count)",
                ])
            }
        } catch {
            condition.withLock {
                for message in batch.dropFirst(confirmed) { countDropped(1, source: message.source) }
            }
            throw error
        }
    }

    private func markUp() {
        condition.lock()
        let previous = phase
        let dropped = droppedWhileDown
        phase = .up
        if case .down = previous {
            transitions += 1
            droppedWhileDown = 0
        }
        condition.unlock()
        switch previous {
        case .starting:
            logger.info("redis: publishing", metadata: ["redis": "\(settings.endpoint.redacted)"])
        case .down(_, let since):
            logger.notice("redis: publishing resumed", metadata: [
                "redis": "\(settings.endpoint.redacted)", "down_for": "\(ContinuousClock.now - since)",
                "dropped": "\(dropped)",
            ])
        case .up: break
        }
    }

    /// The first failure after being up (or at the start) stops publishing: the queue is dropped
    /// and so is every message offered until the connection is back. Later failures are quiet.
    private func markDown(reason: String) {
        condition.lock()
        let wasDown = phase.isDown
        if !wasDown {
            phase = .down(reason: reason, since: .now)
            transitions += 1
            droppedWhileDown = 0
            countQueueAsDropped()
        }
        condition.unlock()
        guard !wasDown else { return }
        logger.warning("redis: publishing stopped; messages are dropped until it is back", metadata: [
            "redis": "\(settings.endpoint.redacted)", "error": "\(reason)",
        ])
    }

    /// Under the lock.
    private func countQueueAsDropped() {
        for message in queue { countDropped(1, source: message.source) }
        queue.removeAll()
        queuedBytes = 0
    }

    private func waitUnlessClosing(_ duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        while !isClosing, condition.wait(until: deadline) {}
        condition.unlock()
    }
}
