import Foundation
import Logging

/// The thread that writes the files of one or more pairs' `RecordWriter`s: a market alone has one of
/// its own, a collector's group shares one (issue 10: a thread per market, each waking every
/// `flushInterval`, was a sixth of a 27-market group collector's CPU). Each pair keeps its own files,
/// batches, counters, backlog bound and loss accounting; only the thread, its lock and its wake-ups
/// are shared. One wake-up serves every pair with something to do (rows, a loss to record, a
/// finished day to compress, `flush()`, `close()`, a new writer); the others are left alone.
///
/// Rows reach the OS within `flushInterval` (the shortest of its writers'): while rows come, the
/// thread cycles every interval; once a whole interval brought none, it sleeps until a writer hands
/// over rows (then written an interval later) or a finished day is due for compression, so a quiet
/// collector's writer does not wake every second. A writer asks at once for a large batch, `flush()`
/// or `close()`.
/// Compression of finished days runs on one gzip thread per writer thread.
///
/// The thread starts with the first writer and ends when its last writer has closed (a writer
/// added later starts it again).
public final class RecordWriterThread: @unchecked Sendable {
    let logger: Logger

    // Guarded by `condition`: the writers' hand-over state and the list of writers served. The lock
    // keeps accesses apart: `@exclusivity(unchecked)` leaves out the run-time check of each (see
    // `RecordWriter`'s state).
    let condition = NSCondition()
    @exclusivity(unchecked) private var writers: [RecordWriter] = []
    @exclusivity(unchecked) private var isRunning = false
    @exclusivity(unchecked) private var compressor: DayFileCompressor?
    /// The shortest flush interval of the writers served (seconds), kept as they are added: asking
    /// each writer's `Duration` at every cycle was ~6,000 instructions a cycle for 24 writers.
    @exclusivity(unchecked) private var flushIntervalSeconds = 1.0

    /// A thread for writers to share; it starts when the first one is added.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Adds a writer (called by `RecordWriter.init`) and gives it the compressor its files use (nil:
    /// it does not compress), before the thread can see it.
    func add(_ writer: RecordWriter) {
        condition.lock()
        defer { condition.unlock() }
        if !isRunning {
            isRunning = true
            compressor = DayFileCompressor(logger: logger)
            let thread = Thread { [self] in run() }
            thread.name = "bytebit-writer"
            thread.start()
        }
        writer.compressor = writer.settings.compressesFinishedDays ? compressor : nil
        writers.append(writer)
        let interval = Double(TimeSpan(writer.settings.flushInterval).microseconds) / 1_000_000
        flushIntervalSeconds = writers.count == 1 ? interval : min(flushIntervalSeconds, interval)
        condition.broadcast()
    }

    /// Whether every writer has closed (the thread then stops).
    var hasNoWriters: Bool { condition.withLock { writers.isEmpty } }

    /// When the thread cycles next unless asked sooner; nil: nothing was pending at its last cycle,
    /// and it sleeps until rows arrive (`rowsArrived()`) or a finished day is due for compression.
    @exclusivity(unchecked) private var nextCycle: Date?
    /// Cycles the thread ran, each serving the writers with something to do.
    @exclusivity(unchecked) private var cycles = 0

    /// How many cycles the thread has run (tests: an idle thread does not wake).
    var cycleCount: Int { condition.withLock { cycles } }

    /// A writer took rows into an empty batch (lock held): a sleeping thread cycles `flushInterval`
    /// from now, so the rows reach the OS within it; a thread already keeping its interval is left be.
    func rowsArrived() {
        guard isRunning, nextCycle == nil else { return }
        nextCycle = Date(timeIntervalSinceNow: flushIntervalSeconds)
        condition.broadcast()
    }

    // MARK: - The thread

    private func run() {
        condition.lock()
        nextCycle = Date(timeIntervalSinceNow: flushIntervalSeconds)
        while true {
            waitForWork()
            let served = writers.filter(\.hasWorkThisCycle)
            for writer in served { writer.beginCycle() }
            cycles += 1
            condition.unlock()

            for writer in served { writer.writeCycle() }

            condition.lock()
            let wroteRows = served.contains(where: \.lastCycleWroteRows)
            for writer in served where writer.endCycle() {
                writers.removeAll { $0 === writer }
            }
            condition.broadcast()
            if writers.isEmpty { break }
            // Rows this interval (or still pending): more are likely, keep the interval; none: sleep.
            let keepsInterval = wroteRows || writers.contains(where: \.hasPendingWork)
            nextCycle = keepsInterval ? Date(timeIntervalSinceNow: flushIntervalSeconds) : nil
        }
        isRunning = false
        nextCycle = nil
        let finished = compressor
        compressor = nil
        condition.unlock()
        finished?.close()
    }

    /// Waits (lock held) until a writer asks for a cycle, `nextCycle` comes, or a writer's finished
    /// day is due for compression; with none of these pending, until a writer wakes it.
    private func waitForWork() {
        while true {
            // One pass over the writers (a group's 60-100): whether one needs a cycle now, else the
            // earliest deadline.
            var deadline = nextCycle
            for writer in writers {
                if writer.needsCycleNow { return }
                if let due = writer.compressionDueDate, deadline.map({ due < $0 }) ?? true { deadline = due }
            }
            guard let deadline else {
                condition.wait()
                continue
            }
            if !condition.wait(until: deadline) { return }
        }
    }
}
