import Foundation

/// Puts a sink behind a bounded queue drained on a thread of its own, so a slow, stuck or failing
/// sink cannot hold up the recorder, the files or the other sinks. Records are staged on the
/// recorder's thread and handed over at each `flush()` under one lock; when the queue is full they
/// are dropped and counted (`droppedCount`), never waited for. Every record offered ends up either
/// delivered (the sink's call returned) or dropped.
public final class QueuedSink: RecordSink, @unchecked Sendable {
    enum Item {
        case book(VerifiedBookTop)
        case trade(TradeRecord)
        case event(LedgerRecord)
        case kline(KlineRecord)
        case ticker(TickerRecord)
        case candle(OHLCRecord)
    }

    /// A name for logs, e.g. `postgres`.
    public let name: String
    /// Records the queue holds at most; more are dropped.
    public let capacity: Int
    /// How long `close()` waits for the queue to drain before it gives up on the sink.
    public let closeTimeout: Duration
    /// Staged records handed over without waiting for the tick (bounds the recorder-side buffer).
    public static let stageLimit = 4_096

    private let inner: any RecordSink
    // Recorder thread only.
    private var staged: [Item] = []
    // Shared with the drain thread: guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [Item] = []
    private var accepted = 0
    private var delivered = 0
    private var dropped = 0
    private var isClosing = false
    /// `close()` gave up waiting: the drain thread delivers nothing more.
    private var isAbandoned = false
    private var hasFinished = false

    /// Starts the drain thread; from now on `inner` is used on that thread only.
    public init(_ inner: any RecordSink, name: String, capacity: Int = 100_000, closeTimeout: Duration = .seconds(2)) {
        self.inner = inner
        self.name = name
        self.capacity = max(capacity, 1)
        self.closeTimeout = closeTimeout
        let thread = Thread { [self] in drain() }
        thread.name = "bytebit-sink-\(name)"
        thread.start()
    }

    public func record(book: VerifiedBookTop) {
        // The book's slices change with the next message: this sink gets levels of its own.
        stage(.book(book.copied()))
    }

    public func record(trade: TradeRecord) { stage(.trade(trade)) }

    public func record(event: LedgerRecord) { stage(.event(event)) }

    public func record(kline: KlineRecord) { stage(.kline(kline)) }
    public func record(ticker: TickerRecord) { stage(.ticker(ticker)) }

    public func record(candle: OHLCRecord) { stage(.candle(candle)) }

    public func flush() {
        guard !staged.isEmpty else { return }
        condition.lock()
        let room = isClosing ? 0 : max(capacity - queue.count, 0)
        let taken = min(staged.count, room)
        queue.append(contentsOf: staged.prefix(taken))
        accepted += taken
        dropped += staged.count - taken
        condition.signal()
        condition.unlock()
        staged.removeAll(keepingCapacity: true)
    }

    /// Hands over what is staged, then waits up to `closeTimeout` for the sink to take it all; what
    /// a stuck sink has not taken by then (the record it is stuck on included) is counted as dropped.
    public func close() {
        flush()
        condition.lock()
        isClosing = true
        condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: Self.seconds(closeTimeout))
        while !hasFinished, condition.wait(until: deadline) {}
        if !hasFinished {
            isAbandoned = true
            dropped += accepted - delivered
            queue.removeAll()
        }
        condition.unlock()
    }

    /// Records this sink never got: the queue was full, or the sink was stuck at close.
    public var droppedCount: Int {
        condition.withLock { dropped }
    }

    /// Records the sink took (its call returned).
    public var deliveredCount: Int {
        condition.withLock { delivered }
    }

    /// Whether the drain thread has delivered everything and closed the inner sink.
    public var isFinished: Bool {
        condition.withLock { hasFinished }
    }

    private func stage(_ item: Item) {
        staged.append(item)
        if staged.count >= Self.stageLimit { flush() }
    }

    // MARK: - Drain thread

    private func drain() {
        var batch: [Item] = []
        condition.lock()
        while true {
            while queue.isEmpty, !isClosing { condition.wait() }
            if isAbandoned || (queue.isEmpty && isClosing) { break }
            swap(&queue, &batch)
            condition.unlock()
            for item in batch {
                guard !condition.withLock({ isAbandoned }) else { break }
                switch item {
                case .book(let book): inner.record(book: book)
                case .trade(let trade): inner.record(trade: trade)
                case .event(let event): inner.record(event: event)
                case .kline(let kline): inner.record(kline: kline)
                case .ticker(let ticker): inner.record(ticker: ticker)
                case .candle(let candle): inner.record(candle: candle)
                }
                condition.withLock { if !isAbandoned { delivered += 1 } }
            }
            inner.flush()
            batch.removeAll(keepingCapacity: true)
            condition.lock()
        }
        let abandoned = isAbandoned
        condition.unlock()
        if !abandoned { inner.close() }
        condition.withLock {
            hasFinished = true
            condition.broadcast()
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
