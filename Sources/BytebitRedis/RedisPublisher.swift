import Foundation
import Logging

/// The collector process's one Redis connection, shared by all the markets it carries: each
/// market's `RedisSink` hands its messages over at the recorder's tick (`offer`), and a thread of
/// the publisher's own pipelines them to the server (`RedisPublisher+Drain.swift`).
///
/// Bounded and never in the way: while Redis is down, stuck or slower than the feed, messages are
/// dropped and counted, not queued (the queue holds at most `Settings.queueBytes`); the thread
/// reconnects with backoff and publishing resumes by itself. It logs one line when publishing
/// stops and one when it resumes; each sink writes its pair's ledger note.
public final class RedisPublisher: @unchecked Sendable {
    public struct Settings: Sendable {
        public var endpoint: RedisEndpoint
        /// Message bytes the queue holds at most; a message that does not fit is dropped.
        public var queueBytes: Int = 8 << 20
        /// Every connect, read and write gives up after this long (then the server counts as down).
        public var ioTimeout: Duration = .seconds(2)
        /// The wait before the first reconnection attempt, doubled after each failure up to `maxBackoff`.
        public var firstBackoff: Duration = .milliseconds(100)
        public var maxBackoff: Duration = .seconds(2)
        /// Command bytes sent in one pipeline at most (their replies are read before the next).
        public var batchBytes: Int = 1 << 20

        public init(endpoint: RedisEndpoint) {
            self.endpoint = endpoint
        }
    }

    /// Whether messages are taken, as a sink sees it at its tick.
    public struct State: Sendable, Equatable {
        /// False while Redis is down (messages are dropped at once); true before the first
        /// connection (they wait in the queue) and while it is up.
        public var isAccepting: Bool
        public var isConnected: Bool
        /// Why publishing stopped, while it is stopped.
        public var downReason: String?
        /// Counts every stop and every resumption: a sink that saw another value has notes to write.
        public var transitions: Int
    }

    /// One sink's messages of one tick, framed as `PUBLISH` commands.
    struct Chunk {
        var source: Int
        var commands: RedisCommands
    }

    struct SourceCounters {
        var sent = 0
        var dropped = 0
    }

    enum Phase: Equatable {
        /// Before the first connection is made: messages wait in the queue.
        case starting
        case up
        case down(reason: String, since: ContinuousClock.Instant)
    }

    let settings: Settings
    let logger: Logger
    let condition = NSCondition()
    // Guarded by `condition`, so without run-time exclusivity checks (~50 instructions a message
    // at a tick's offer, write and recycle).
    @exclusivity(unchecked) var queue: [Chunk] = []
    @exclusivity(unchecked) var queuedBytes = 0
    @exclusivity(unchecked) var phase: Phase = .starting {
        didSet { stateLocked = Self.state(of: phase, transitions: transitions) }
    }
    @exclusivity(unchecked) var transitions = 0 {
        didSet { stateLocked = Self.state(of: phase, transitions: transitions) }
    }
    /// The state as the sinks see it, kept in step with `phase` and `transitions`: made at every
    /// offer from the phase (an enum with a payload) it cost ~1.5k instructions a tick.
    @exclusivity(unchecked) private(set) var stateLocked = RedisPublisher.state(of: .starting, transitions: 0)
    @exclusivity(unchecked) var sources: [SourceCounters] = []
    @exclusivity(unchecked) var droppedWhileDown = 0
    /// Commands written (or dropped) and emptied, for the sinks' next ticks (`offer`): a tick's
    /// buffers are reused, not allocated and freed per tick. At most `spareLimit` of them and
    /// `spareBytesLimit` of segments.
    @exclusivity(unchecked) var spares: [RedisCommands] = []
    @exclusivity(unchecked) var spareBytes = 0
    @exclusivity(unchecked) var isClosing = false
    @exclusivity(unchecked) var hasFinished = false

    /// Starts the publishing thread, which connects at once.
    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        let thread = Thread { [self] in drain() }
        thread.name = "bytebit-redis"
        thread.start()
    }

    /// A number for a new market's sink: its messages are counted under it.
    func registerSource() -> Int {
        condition.withLock {
            sources.append(SourceCounters())
            return sources.count - 1
        }
    }

    /// Spare commands kept at most (one per market's sink, and a few for the ticks in flight).
    var spareLimit: Int { sources.count + 2 }
    /// Segment bytes the spares hold at most.
    var spareBytesLimit: Int { settings.queueBytes / 4 }

    /// Queues `commands` (sealed) when they fit (else counts their messages as dropped), counts
    /// `alreadyDropped` for `source`, and returns the state the sink goes by until its next offer
    /// and, when `commands` has messages, spare commands written before for its next tick (nil
    /// when there are none). Never blocks on I/O.
    func offer(_ commands: RedisCommands, alreadyDropped: Int, source: Int) -> (state: State, spare: RedisCommands?) {
        condition.lock()
        defer { condition.unlock() }
        var dropped = alreadyDropped
        var spare: RedisCommands?
        if commands.messageCount > 0 {
            spare = spares.popLast()
            if let spare { spareBytes -= spare.capacity }
            if stateLocked.isAccepting, !isClosing, queuedBytes + commands.byteCount <= settings.queueBytes {
                queue.append(Chunk(source: source, commands: commands))
                queuedBytes += commands.byteCount
                condition.signal()
            } else {
                dropped += commands.messageCount
            }
        }
        countDropped(dropped, source: source)
        return (stateLocked, spare)
    }

    /// Empties written commands and keeps them for the sinks while the spares are within their
    /// bounds (the rest are freed). Not under the lock.
    func recycle(_ chunks: inout [Chunk]) {
        for chunk in chunks { chunk.commands.reset() }
        condition.withLock {
            for chunk in chunks where spares.count < spareLimit && spareBytes + chunk.commands.capacity <= spareBytesLimit {
                spares.append(chunk.commands)
                spareBytes += chunk.commands.capacity
            }
        }
        chunks.removeAll(keepingCapacity: true)
    }

    /// How many spare commands are kept now, and their segments' bytes (for tests).
    var spareCounts: (count: Int, bytes: Int) { condition.withLock { (spares.count, spareBytes) } }

    /// The source's counters: messages the server took and messages dropped.
    func counters(source: Int) -> (sent: Int, dropped: Int) {
        condition.withLock { (sources[source].sent, sources[source].dropped) }
    }

    public var state: State { condition.withLock { stateLocked } }

    /// Messages sent and dropped, over all sources.
    public var totals: (sent: Int, dropped: Int) {
        condition.withLock { sources.reduce((0, 0)) { ($0.0 + $1.sent, $0.1 + $1.dropped) } }
    }

    /// Publishes what is queued while the server takes it, for up to `timeout`, then lets go of
    /// the connection; what is left is counted as dropped. Call after every sink is closed.
    public func close(timeout: Duration = .seconds(2)) {
        condition.lock()
        isClosing = true
        condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        while !hasFinished, condition.wait(until: deadline) {}
        condition.unlock()
    }

    // MARK: - Under the lock

    static func state(of phase: Phase, transitions: Int) -> State {
        var reason: String?
        if case .down(let why, _) = phase { reason = why }
        return State(isAccepting: phase.isAccepting, isConnected: phase == .up, downReason: reason, transitions: transitions)
    }

    func countDropped(_ count: Int, source: Int) {
        guard count > 0 else { return }
        sources[source].dropped += count
        if !stateLocked.isAccepting { droppedWhileDown += count }
    }
}

extension RedisPublisher.Phase {
    var isDown: Bool {
        if case .down = self { return true }
        return false
    }

    var isAccepting: Bool { !isDown }
}
