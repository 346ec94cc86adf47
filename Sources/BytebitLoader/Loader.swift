import BytebitCore
import BytebitView
import Foundation
import Logging

/// Loads every complete row of the recorded files that is not in the database yet, key by key (pair,
/// stream, layout, day), in batches: each batch's rows and the key's new position are one transaction,
/// so a crash at any point loses or repeats nothing (the next start resumes from the committed position).
public final class Loader {
    public let settings: LoaderSettings
    let connection: PostgresConnection
    let logger: Logger
    /// The committed positions, as read at start and moved by each commit.
    private(set) var positions: [LoadKey: LoadPosition]
    /// File signatures at the last time a key was read to its end: unchanged files are not reopened.
    private(set) var finished: [LoadKey: [Int64]] = [:]
    /// Each pair's day ledger, as typing facts, with the signature they were read at.
    private var typers: [String: (signature: [Int64], typer: BookRowTyper)] = [:]
    private var rows = CopyRows()
    /// The pairs and their day texts, listed again when their folders change.
    let listing: DayTextCache
    /// Keys whose file trouble was logged already (logged once, not every pass).
    private var troubledKeys: Set<LoadKey> = []
    /// Rows loaded and rejected since start.
    public private(set) var counts = LoadCounts()
    /// Called after each committed batch (for a progress bar).
    public var progress: ((LoadKey, Int) -> Void)?
    /// More connections for a back-fill: one batch of a key in flight on each (the server parses a
    /// book day's JSONB arrays on as many cores). Following needs none.
    public var spareConnections: [PostgresConnection] = []

    /// Prepares the tables and reads the positions.
    public init(connection: PostgresConnection, settings: LoaderSettings, logger: Logger) throws(PostgresError) {
        self.connection = connection
        self.settings = settings
        self.logger = logger
        listing = DayTextCache(dataDirectory: settings.dataDirectory)
        let outcome = try LoaderSchema.prepare(on: connection)
        if !outcome.timescaleAvailable {
            logger.debug("timescaledb is not available: plain tables")
        }
        positions = try PositionStore.readAll(connection)
    }

    /// What one pass did.
    public struct Pass: Sendable, Equatable {
        /// Rows loaded (rejected rows not counted).
        public var loaded = 0
        public var rejected = 0
        /// Whether every key was read to the end of what is written (false when `shouldStop` cut it short).
        public var reachedEnd = true
    }

    /// One pass over the data directory. Database errors are thrown (the batch in flight is rolled
    /// back; nothing of it counts); file errors are logged once per key and that key is skipped.
    /// Keys with few new rows (following the collectors: a second's rows of each pair and stream) are
    /// committed together, one transaction for many keys; a key with more than a batch of new rows (a
    /// back-fill) gets transactions of its own, pipelined.
    public func pass(shouldStop: () -> Bool = { false }) throws(PostgresError) -> Pass {
        var pass = Pass()
        var group = Group()
        for pair in listing.pairs() where settings.pairs?.contains(pair) ?? true {
            for text in listing.texts(pair: pair) {
                if let from = settings.fromDay, text.key.day < from { continue }
                if let to = settings.toDay, text.key.day > to { continue }
                if shouldStop() {
                    try commit(&group, into: &pass)
                    pass.reachedEnd = false
                    return pass
                }
                try load(text, into: &pass, group: &group, shouldStop: shouldStop)
            }
        }
        try commit(&group, into: &pass)
        return pass
    }

    /// Small batches of several keys waiting to be committed in one transaction.
    struct Group {
        var batches: [CopyBatch] = []
        var moves: [Move] = []
        /// The file signatures each key was read to the end at.
        var signatures: [[Int64]] = []
        var rows = 0
        var bytes = 0
    }

    /// Commits the group's batches (one transaction) and books them.
    private func commit(_ group: inout Group, into pass: inout Pass) throws(PostgresError) {
        guard !group.moves.isEmpty else { return }
        let pending = group
        group = Group()
        guard let outcome = try commit(pending.batches, moves: pending.moves) else {
            positions = try PositionStore.readAll(connection)
            pass.reachedEnd = false
            return
        }
        for (index, move) in pending.moves.enumerated() {
            positions[move.key] = move.position
            finished[move.key] = pending.signatures[index]
            book(outcome[move.key], key: move.key, into: &pass)
        }
    }

    private func book(_ committed: Committed?, key: LoadKey, into pass: inout Pass) {
        guard let committed else { return }
        counts.loaded[key.stream, default: 0] += committed.loaded
        counts.rejected[key.stream, default: 0] += committed.rejected
        pass.loaded += committed.loaded
        pass.rejected += committed.rejected
        progress?(key, committed.loaded)
    }

    /// Loads one key's new rows: into the group when they fit one batch, else in transactions of its
    /// own, pipelined: the next batch is read and formatted while the server stores the previous ones,
    /// up to one batch in flight per connection (`spareConnections`), each committed after the one
    /// before it (`commitChained`).
    private func load(
        _ text: DayText, into pass: inout Pass, group: inout Group, shouldStop: () -> Bool
    ) throws(PostgresError) {
        let key = text.key
        let signature = text.signature
        if finished[key] == signature { return }
        let reader = DayTextReader(text: text, position: positions[key] ?? LoadPosition())
        var batch = LineBatch()
        let pool = [connection] + spareConnections
        var inFlight: [CommitJob] = []
        var jobs = 0
        // Where the next batch starts, if the commits in flight succeed.
        var next = positions[key] ?? LoadPosition()
        defer { drain(&inFlight, key: key) }
        while true {
            batch.removeAll()
            do {
                try reader.read { line, path, fileLine in
                    batch.append(line: line, path: path, fileLine: fileLine)
                    return batch.count < settings.batchRows && batch.byteCount < settings.batchBytes
                }
            } catch {
                if troubledKeys.insert(key).inserted {
                    logger.warning("cannot read the files of \(key); skipping them", metadata: ["error": "\(error)"])
                }
                _ = try finishAll(&inFlight, key: key, into: &pass)
                return
            }
            troubledKeys.remove(key)
            guard batch.count > 0, let layout = reader.layout else { break }
            var position = reader.position
            let copy = convert(batch, key: key, layout: layout, previousReceivedAt: next.previousReceivedAt)
            position.previousReceivedAt = copy.lastReceivedAt ?? next.previousReceivedAt
            let isLast = batch.count < settings.batchRows && batch.byteCount < settings.batchBytes
            if jobs == 0, isLast {
                // All the key's new rows in one batch: wait for company in the group.
                group.batches.append(copy)
                group.moves.append(Move(key: key, expectedLines: next.lines, position: position))
                group.signatures.append(signature)
                group.rows += copy.rowCount
                group.bytes += copy.text.count
                if group.rows >= settings.batchRows || group.bytes >= settings.batchBytes { try commit(&group, into: &pass) }
                return
            }
            if jobs == 0 {
                // A back-fill: the group goes first (the main connection is then free for the chain).
                try commit(&group, into: &pass)
                try PositionStore.ensure(connection, key: key)
            }
            // One batch in flight per connection: the oldest ends before its connection takes the next.
            if inFlight.count == pool.count {
                guard try finishOldest(&inFlight, key: key, into: &pass) else { return }
            }
            let move = Move(key: key, expectedLines: next.lines, position: position)
            let target = pool[jobs % pool.count]
            let previous = inFlight.last
            jobs += 1
            inFlight.append(CommitJob(position: position) { [self] in
                Result { () throws(PostgresError) -> Committed? in
                    try commitChained(copy, move: move, on: target, after: { previous?.wait() })
                }
            })
            next = position
            if isLast { break }
            if shouldStop() {
                _ = try finishAll(&inFlight, key: key, into: &pass)
                pass.reachedEnd = false
                return
            }
        }
        guard try finishAll(&inFlight, key: key, into: &pass) else { return }
        finished[key] = signature
    }

    /// Waits for the oldest commit in flight and books it. False (the others waited for, and the
    /// positions read again) when it did not move the key: it failed before, or another loader moved it.
    private func finishOldest(_ jobs: inout [CommitJob], key: LoadKey, into pass: inout Pass) throws(PostgresError) -> Bool {
        let oldest = jobs.removeFirst()
        oldest.wait()
        let outcome: Committed?
        do throws(PostgresError) {
            outcome = try oldest.result.get()
        } catch {
            drain(&jobs, key: key)
            throw error
        }
        guard let outcome else {
            drain(&jobs, key: key)
            positions = try PositionStore.readAll(connection)
            pass.reachedEnd = false
            return false
        }
        positions[key] = oldest.position
        book(outcome, key: key, into: &pass)
        return true
    }

    private func finishAll(_ jobs: inout [CommitJob], key: LoadKey, into pass: inout Pass) throws(PostgresError) -> Bool {
        while !jobs.isEmpty {
            guard try finishOldest(&jobs, key: key, into: &pass) else { return false }
        }
        return true
    }

    /// Waits for every commit in flight, after one failed: the ones after it roll back (their chain is
    /// broken); one that committed all the same (the failure came after its predecessor committed)
    /// is counted.
    private func drain(_ jobs: inout [CommitJob], key: LoadKey) {
        for job in jobs {
            job.wait()
            if case let .success(committed?) = job.result {
                positions[key] = job.position
                counts.loaded[key.stream, default: 0] += committed.loaded
                counts.rejected[key.stream, default: 0] += committed.rejected
            }
        }
        jobs.removeAll()
    }

    /// The batch's COPY text, with where each row came from; rows that are not valid rows of their file
    /// are rejected here, before the database sees them.
    private func convert(_ batch: LineBatch, key: LoadKey, layout: StreamLayout, previousReceivedAt: Int64?) -> CopyBatch {
        var copy = CopyBatch(key: key)
        copy.text.reserveCapacity(batch.byteCount + batch.count * 48)
        let pair = Array(key.pair.utf8)
        let bookLayout = BookLayout(levels: layout.levels)
        let typer = key.stream == .orderBook ? typer(pair: key.pair, day: key.day) : nil
        var previous = previousReceivedAt
        for index in 0..<batch.count {
            batch.withLine(index) { line in
                let defect: RowDefect?
                switch key.stream {
                case .orderBook:
                    let receivedAt = Self.receivedAt(in: line)
                    let type = typer?.type(receivedAt: receivedAt ?? 0, previousReceivedAt: previous) ?? .update
                    defect = rows.appendBook(line: line, layout: bookLayout, pair: pair, type: type, to: &copy.text)
                    if defect == nil, let receivedAt {
                        previous = receivedAt
                        copy.lastReceivedAt = receivedAt
                    }
                case .trades:
                    defect = rows.appendTrade(line: line, pair: pair, to: &copy.text)
                case .events:
                    defect = rows.appendEvent(line: line, pair: pair, to: &copy.text)
                default:
                    defect = CellTable(key.stream).map { $0.append(line: line, pair: pair, to: &copy.text) }
                        ?? RowDefect(reason: "no table for \(key.stream)")
                }
                if let defect {
                    copy.rejects.append(CopyBatch.Reject(
                        origin: batch.origins[index], reason: defect.reason,
                        text: String(decoding: line, as: UTF8.self)))
                } else {
                    copy.rowEnds.append(copy.text.count)
                    copy.origins.append(batch.origins[index])
                    copy.lines.append(index)
                }
            }
        }
        copy.batch = batch
        return copy
    }

    /// The `received_at` cell of a book line, in microseconds.
    static func receivedAt(in line: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let first = line.firstIndex(of: 0x2C) else { return nil }
        let rest = line[(first + 1)...]
        let end = rest.firstIndex(of: 0x2C) ?? line.count
        return FastTimestamp.parse(UnsafeBufferPointer(rebasing: line[(first + 1)..<end]))?.microseconds
    }

    /// The typing facts of a pair's day, from its events files (read again only when they changed).
    private func typer(pair: String, day: Int64) -> BookRowTyper {
        let mode = settings.bookMode(pair)
        let texts = listing.texts(pair: pair)
            .filter { $0.key.stream == .events && $0.key.day == day }
        let signature = texts.flatMap(\.signature)
        let cacheKey = "\(pair) \(day)"
        if let cached = typers[cacheKey], cached.signature == signature { return cached.typer }
        var events: [(time: Int64, event: String, detail: String)] = []
        for text in texts {
            let reader = DayTextReader(text: text, position: LoadPosition())
            try? reader.read { line, _, _ in
                let cells = CSVFields.quotedFields(of: line)
                if cells.count >= 2, let time = UTCTimestamp(cells[0]) {
                    events.append((time.microseconds, cells[1], cells.count > 2 ? cells[2...].joined(separator: ",") : ""))
                }
                return true
            }
        }
        let typer = BookRowTyper(defaultMode: mode, dayStart: day * UTCTimestamp.microsecondsPerDay, events: events)
        typers[cacheKey] = (signature, typer)
        return typer
    }
}
