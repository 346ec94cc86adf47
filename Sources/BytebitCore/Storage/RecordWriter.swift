import Foundation
import Logging

/// Appends a pair's rows to its daily CSV files from a writer thread (`RecordWriterThread`: its own,
/// or one a collector's group shares), so the WebSocket thread never waits for a disk. The producer
/// fills a `RowBatch` without locks and hands it over with `submit(_:)` (one lock per batch); the
/// writer thread writes with `write(2)` at least every `flushInterval` and as soon as
/// `largeBatchBytes` are pending. A full or unwritable disk drops rows (counted, never half
/// written) and writing resumes by itself; the loss then goes to the events ledger as `write_failed`.
public final class RecordWriter: @unchecked Sendable {
    /// Where and how a pair's files are written.
    public struct Settings: Sendable {
        public var dataDirectory: String
        public var pair: String
        /// Price levels per side in the order book file (the market's `levels`).
        public var orderBookLevels: Int
        /// Gzip finished days (config `compress`).
        public var compressesFinishedDays: Bool
        /// Pending rows reach the OS at least this often.
        public var flushInterval: Duration
        /// Pending bytes that wake the writer before the interval is up.
        public var largeBatchBytes: Int
        /// Pending bytes beyond which submitted batches are dropped (and counted) rather than queued.
        public var maxPendingBytes: Int
        /// How long after a UTC day ends its files are compressed (late rows for it may still come).
        public var compressionDelay: Duration

        public init(
            dataDirectory: String, pair: String, orderBookLevels: Int, compressesFinishedDays: Bool = true,
            flushInterval: Duration = .seconds(1), largeBatchBytes: Int = 256 * 1024,
            maxPendingBytes: Int = 64 * 1024 * 1024, compressionDelay: Duration = .seconds(600)
        ) {
            self.dataDirectory = dataDirectory
            self.pair = pair
            self.orderBookLevels = orderBookLevels
            self.compressesFinishedDays = compressesFinishedDays
            self.flushInterval = flushInterval
            self.largeBatchBytes = largeBatchBytes
            self.maxPendingBytes = maxPendingBytes
            self.compressionDelay = compressionDelay
        }
    }

    public let settings: Settings
    /// The thread that writes this pair's files (its own, or one its group shares).
    let thread: RecordWriterThread
    /// The gzip side of `thread`, when this pair compresses finished days (set by `thread.add`).
    var compressor: DayFileCompressor?
    private let clock: any WallClock
    private let logger: Logger

    // Shared between the producer, the writer thread and callers of flush/close: guarded by the
    // thread's `condition` (one lock for every writer of a thread). The lock is what keeps accesses
    // apart, so `@exclusivity(unchecked)` leaves out the run-time exclusivity check of each access
    // (`swift_beginAccess`, ~80 instructions; ~15 per writer per cycle and ~5 per hand-over were a
    // twentieth of a 100-market group collector's instructions, issue 10, callgrind).
    @exclusivity(unchecked) private var pending: RowBatch
    @exclusivity(unchecked) private var backlogLoss: WriteLoss?
    @exclusivity(unchecked) private var backlogDroppedRows = 0
    @exclusivity(unchecked) private var isClosing = false
    @exclusivity(unchecked) private var isFinished = false
    @exclusivity(unchecked) private var isFlushRequested = false
    @exclusivity(unchecked) private var startedCycles = 0
    @exclusivity(unchecked) private var completedCycles = 0
    @exclusivity(unchecked) private var writerCounters = RecordWriterCounters()
    /// From the last cycle: a write failed and its loss still waits for the ledger (retried each cycle).
    @exclusivity(unchecked) private var awaitsLossRecord = false
    /// From the last cycle: when its next finished day is due for compression (writer clock, µs).
    @exclusivity(unchecked) private var compressionDueAt: Int64?

    // The writer thread's alone (between `beginCycle` and `endCycle`, and the file set always).
    @exclusivity(unchecked) private var files: DailyFileSet?
    @exclusivity(unchecked) private var cycleBatch: RowBatch
    @exclusivity(unchecked) private var cycleBacklog: WriteLoss?
    @exclusivity(unchecked) private var cycle = 0
    @exclusivity(unchecked) private var isLastCycle = false
    @exclusivity(unchecked) private var cycleCounters = RecordWriterCounters()
    /// Whether the last cycle wrote rows (read with the lock held): more are likely, so the thread
    /// keeps its interval.
    @exclusivity(unchecked) private(set) var lastCycleWroteRows = false
    @exclusivity(unchecked) private var cycleCompressionDueAt: Int64?

    /// A writer on a thread of its own (one market). Nothing here can fail: folder and file errors
    /// surface as dropped rows, log lines and `counters.lastError`, and writing retries by itself.
    public convenience init(settings: Settings, clock: any WallClock = SystemClock(), logger: Logger) {
        self.init(settings: settings, thread: RecordWriterThread(logger: logger), clock: clock, logger: logger)
    }

    /// A writer whose files `thread` writes, beside the other writers it serves (a group's markets).
    public init(settings: Settings, thread: RecordWriterThread, clock: any WallClock = SystemClock(), logger: Logger) {
        self.settings = settings
        self.thread = thread
        self.pending = RowBatch(orderBookLevels: settings.orderBookLevels)
        self.cycleBatch = RowBatch(orderBookLevels: settings.orderBookLevels)
        self.clock = clock
        self.logger = logger
        thread.add(self)
    }

    /// An empty batch with this writer's layout, for the producer to fill.
    public func makeBatch() -> RowBatch {
        RowBatch(orderBookLevels: settings.orderBookLevels)
    }

    private var condition: NSCondition { thread.condition }

    /// Hands the batch's rows to the writer thread and empties it (its memory is kept). Never blocks on
    /// the disk: past `maxPendingBytes`, or after `close()`, the rows are dropped and counted.
    public func submit(_ batch: inout RowBatch) {
        guard !batch.isEmpty else { return }
        condition.lock()
        if isClosing || pending.byteCount + batch.byteCount > settings.maxPendingBytes {
            let reason = isClosing ? "writer closed" : "writer backlog above \(settings.maxPendingBytes) bytes"
            for kind in DataFileKind.allCases where batch.rows(of: kind).count > 0 {
                let lost = WriteLoss(kind: kind, times: batch.rows(of: kind).times[...], fileName: nil, reason: reason)
                if backlogLoss == nil { backlogLoss = lost } else { backlogLoss?.merge(lost) }
            }
            backlogDroppedRows += batch.rowCount
        } else if pending.byteCount == 0 {
            // The usual case (the writer took the last batch): hand this one over whole and keep the
            // emptied one, instead of copying every row's bytes. (Every row has bytes, so no bytes
            // is no rows; `isEmpty` sums the row counts, and read through the stored batch it copied
            // the whole batch.) The batch given back is the one the writer emptied: emptying it again
            // was a third of a hand-over (issue 10, callgrind).
            swap(&pending, &batch)
            if pending.byteCount >= settings.largeBatchBytes { condition.broadcast() }
            thread.rowsArrived()
            condition.unlock()
            return
        } else {
            pending.append(contentsOf: batch)
            if pending.byteCount >= settings.largeBatchBytes { condition.broadcast() }
        }
        condition.unlock()
        batch.removeAll()
    }

    /// Blocks until every row submitted before this call has been written (or counted as lost).
    public func flush() {
        condition.lock()
        defer { condition.unlock() }
        let target = startedCycles + 1
        isFlushRequested = true
        condition.broadcast()
        while completedCycles < target, !isFinished { condition.wait() }
    }

    /// Writes what is pending and closes the files; the last writer of a thread stops it and cancels
    /// compression in progress (the plain file stays and is compressed on the next start). For
    /// SIGTERM; later submits are dropped.
    public func close() {
        condition.lock()
        isClosing = true
        condition.broadcast()
        while !isFinished { condition.wait() }
        condition.unlock()
        if thread.hasNoWriters { compressor?.close() }
    }

    /// Rows written today per kind, rows dropped, last error.
    public var counters: RecordWriterCounters {
        condition.withLock {
            var counters = writerCounters
            counters.rowsDropped += backlogDroppedRows
            if backlogLoss != nil { counters.isLosingRows = true }
            return counters
        }
    }

    /// Blocks until queued compressions are done (tests, benchmarks, a clean shutdown that wants them).
    public func waitUntilCompressed() {
        compressor?.waitUntilIdle()
    }

    // MARK: - On the writer thread

    /// Whether the thread must cycle now rather than at its interval (lock held).
    var needsCycleNow: Bool {
        files == nil || isClosing || isFlushRequested || pending.byteCount >= settings.largeBatchBytes
    }

    /// Whether this writer has rows or a loss waiting (lock held): the thread then keeps its interval.
    var hasPendingWork: Bool {
        pending.byteCount > 0 || backlogLoss != nil || awaitsLossRecord
    }

    /// Whether a cycle has anything to do for this writer (lock held). A writer with nothing is left
    /// out: cycling each of a group's markets every second, rows or not, was a fifth of a 24-market
    /// group collector's instructions (issue 10).
    var hasWorkThisCycle: Bool {
        needsCycleNow || hasPendingWork || compressionDueAt.map { clock.now().microseconds >= $0 } ?? false
    }

    /// When this writer's next finished day is due for compression in the thread's time (lock held).
    var compressionDueDate: Date? {
        compressionDueAt.map { Date(timeIntervalSinceNow: Double($0 - clock.now().microseconds) / 1_000_000) }
    }

    /// How many cycles this writer has been part of (tests: a writer with nothing is not cycled).
    var cyclesStarted: Int { condition.withLock { startedCycles } }

    /// Takes the pending rows for this cycle (lock held).
    func beginCycle() {
        swap(&pending, &cycleBatch)
        cycleBacklog = backlogLoss
        backlogLoss = nil
        isFlushRequested = false
        startedCycles += 1
        cycle = startedCycles
        isLastCycle = isClosing
    }

    /// Writes this cycle's rows (lock not held). The file set is made on the thread's first cycle.
    func writeCycle() {
        let files = files ?? makeFiles()
        if let backlog = cycleBacklog { files.recordBacklogLoss(backlog) }
        cycleBacklog = nil
        lastCycleWroteRows = cycleBatch.byteCount > 0
        if lastCycleWroteRows {
            Self.write(&cycleBatch, to: files)
            cycleBatch.removeAll()
        }
        files.finishCycle()
        cycleCounters = files.counters
        cycleCounters.isLosingRows = files.loss != nil
        cycleCompressionDueAt = files.nextCompressionAt
    }

    /// Publishes the cycle (lock held); true when the writer is finished (closed, nothing left),
    /// its files then closed.
    func endCycle() -> Bool {
        writerCounters = cycleCounters
        awaitsLossRecord = cycleCounters.isLosingRows
        compressionDueAt = cycleCompressionDueAt
        completedCycles = cycle
        guard isLastCycle, pending.isEmpty, backlogLoss == nil else { return false }
        isFinished = true
        files?.closeAll()
        return true
    }

    /// `files.write` of the batch where it is: passed from the stored property, it was copied (every
    /// row array retained and released again) at each cycle.
    private static func write(_ batch: inout RowBatch, to files: DailyFileSet) {
        files.write(batch)
    }

    private func makeFiles() -> DailyFileSet {
        let made = DailyFileSet(
            dataDirectory: settings.dataDirectory, pair: settings.pair, orderBookLevels: settings.orderBookLevels,
            compressor: compressor, compressionDelayMicroseconds: TimeSpan(settings.compressionDelay).microseconds,
            clock: clock, logger: logger)
        made.scanExistingFiles()
        files = made
        return made
    }
}
