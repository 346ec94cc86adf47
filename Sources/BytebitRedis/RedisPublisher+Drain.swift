import Foundation
import Logging

/// The publishing thread: connect (with backoff while Redis is away), then take the queue in
/// batches and pipeline each batch: append every `PUBLISH`, then read the replies in order.
extension RedisPublisher {
    func drain() {
        var connection: RedisConnection?
        var backoff = settings.firstBackoff
        var batch: [Chunk] = []
        var acks: [UInt8] = []
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
                try publish(batch, on: open, acks: &acks)
            } catch {
                connection = nil
                markDown(reason: error.description)
            }
            recycle(&batch)
        }
        condition.withLock {
            countQueueAsDropped()
            // Closed: not connected any more, and nothing more is taken (not news for the ledger).
            if !phase.isDown { phase = .down(reason: "closed", since: .now) }
            hasFinished = true
            condition.broadcast()
        }
    }

    /// Waits for queued chunks and moves them into `batch`, up to `batchBytes` (at least one);
    /// false when closing with nothing left to send.
    private func takeBatch(into batch: inout [Chunk]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty, !isClosing { condition.wait() }
        if queue.isEmpty { return false }
        var bytes = 0
        var count = 0
        while count < queue.count, count == 0 || bytes + queue[count].commands.byteCount <= settings.batchBytes {
            bytes += queue[count].commands.byteCount
            count += 1
        }
        if count == queue.count, batch.isEmpty {
            swap(&batch, &queue)  // the whole queue (the usual case): no copy of its chunks
        } else {
            batch.append(contentsOf: queue.prefix(count))
            queue.removeFirst(count)
        }
        queuedBytes -= bytes
        return true
    }

    /// One pipeline. A message counts as sent when the server took every one of its `PUBLISH`es;
    /// when the connection breaks, the batch's unconfirmed messages count as dropped. The replies
    /// are only told apart as taken or refused (`readAcks`: no reply objects).
    private func publish(_ batch: [Chunk], on connection: RedisConnection, acks: inout [UInt8]) throws(RedisError) {
        var doneChunks = 0
        // Messages of the chunk being read that the server took.
        var sent = 0
        do throws(RedisError) {
            for chunk in batch {
                let pieces = chunk.commands.pieces
                try connection.write(pieces: pieces.pieces, count: pieces.pieceCount)
            }
            var refusedReplies = 0
            var firstRefusal: String?
            for chunk in batch {
                let (read, refusals, refusal, failure) = connection.readAcks(chunk.commands.replyCount, into: &acks)
                var refused = 0
                if read == chunk.commands.replyCount, refusals == 0 {
                    // The usual case: every message taken.
                    sent = chunk.commands.messageCount
                } else {
                    (sent, refused) = Self.tell(acks, read: read, of: chunk.commands.pieces)
                    refusedReplies += refusals
                }
                if firstRefusal == nil { firstRefusal = refusal }
                if let failure { throw failure }
                condition.withLock {
                    sources[chunk.source].sent += sent
                    countDropped(refused, source: chunk.source)
                }
                doneChunks += 1
            }
            if let firstRefusal {
                logger.warning("redis: PUBLISH refused; those messages are dropped", metadata: [
                    "reply": "\(firstRefusal)", "refused": "\(refusedReplies)",
                ])
            }
        } catch {
            condition.withLock {
                for (index, chunk) in batch.enumerated().dropFirst(doneChunks) {
                    let taken = index == doneChunks ? sent : 0
                    sources[chunk.source].sent += taken
                    countDropped(chunk.commands.messageCount - taken, source: chunk.source)
                }
            }
            throw error
        }
    }

    /// A chunk's messages that the server took (every `PUBLISH` of them) and refused (one or
    /// more), among the first `read` replies (`acks[i]` is 1 for a refused one).
    private static func tell(_ acks: [UInt8], read: Int, of pieces: RedisCommandPieces) -> (sent: Int, refused: Int) {
        var sent = 0
        var refused = 0
        var reply = 0
        for message in 0..<pieces.messageCount {
            let end = reply + Int(pieces.replies[message])
            guard end <= read else { break }
            var isTaken = true
            while reply < end {
                if acks[reply] != 0 { isTaken = false }
                reply += 1
            }
            if isTaken { sent += 1 } else { refused += 1 }
        }
        return (sent, refused)
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
        for chunk in queue { countDropped(chunk.commands.messageCount, source: chunk.source) }
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
