import Foundation
import Logging

/// The thread that writes the files of one or more pairs' `RecordWriter`s: a market alone has one of
/// its own, a collector's group shares one (issue 10: a thread per market, each waking every
/// `flushInterval`, was a sixth of a 27-market group collector's CPU). Each pair keeps its own files,
/// batches, counters, backlog bound and loss accounting; only the thread, its lock and its wake-ups
/// are shared. One wake-up serves every pair: at least every `flushInterval` (the shortest of its
/// writers'), and at once when a writer asks (a large batch, `flush()`, `close()`, a new writer).
/// Compression of finished days runs on one gzip thread per writer thread.
///
/// The thread starts with the first writer and ends when its last writer has closed (a writer
/// added later starts it again).
public final class RecordWriterThread: @unchecked Sendable {
    let logger: Logger

    // Guarded by `condition`: the writers' hand-over state and the list of writers served.
    let condition = NSCondition()
    private var writers: [RecordWriter] = []
    private var isRunning = false
    private var compressor: DayFileCompressor?

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
        condition.broadcast()
    }

    /// Whether every writer has closed (the thread then stops).
    var hasNoWriters: Bool { condition.withLock { writers.isEmpty } }

    // MARK: - The thread

    private func run() {
        var deadline = Date(timeIntervalSinceNow: flushIntervalSeconds())
        condition.lock()
        while true {
            while !writers.contains(where: \.needsCycleNow), condition.wait(until: deadline) {}
            let served = writers
            for writer in served { writer.beginCycle() }
            condition.unlock()

            for writer in served { writer.writeCycle() }

            condition.lock()
            for writer in served where writer.endCycle() {
                writers.removeAll { $0 === writer }
            }
            condition.broadcast()
            if writers.isEmpty { break }
            condition.unlock()
            deadline = Date(timeIntervalSinceNow: flushIntervalSeconds())
            condition.lock()
        }
        isRunning = false
        let finished = compressor
        compressor = nil
        condition.unlock()
        finished?.close()
    }

    /// The shortest flush interval of the writers served, in seconds (1 s before the first).
    private func flushIntervalSeconds() -> Double {
        let shortest = condition.withLock { writers.map { TimeSpan($0.settings.flushInterval).microseconds }.min() }
        return Double(shortest ?? 1_000_000) / 1_000_000
    }
}
