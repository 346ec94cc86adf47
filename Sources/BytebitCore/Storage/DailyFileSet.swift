import Foundation
import Logging

/// The writer thread's side of the files of one pair: which daily file each run of rows goes to, the
/// open descriptors, the rows lost while writing fails, the counters, and which days await compression.
/// Owned by the writer thread alone; no locks.
final class DailyFileSet {
    struct DayKey: Hashable {
        var kind: RecordedStream
        var day: Int64
    }

    let dataDirectory: String
    let pair: String
    /// The market's `levels`: the layout of every stream that has levels.
    private let orderBookLevels: Int
    let compressor: DayFileCompressor?
    let compressionDelay: Int64
    let clock: any WallClock
    let logger: Logger

    var openFiles: [DayKey: (name: DailyFileName, file: AppendOnlyFile)] = [:]
    var unfinishedDays: Set<DayKey> = []
    /// When `compressFinishedDays` next finds a finished day (writer clock, µs; `.min`: look at
    /// once): it runs after every write cycle, and looking through the unfinished days each time
    /// was ~400 instructions a cycle (issue 10, callgrind of a 100-market group).
    var compressionCheckAt = Int64.min
    private(set) var loss: WriteLoss?
    private var hasFailedThisCycle = false
    private(set) var counters = RecordWriterCounters()
    private var newestDay = Int64.min

    init(
        dataDirectory: String, pair: String, orderBookLevels: Int, compressor: DayFileCompressor?,
        compressionDelayMicroseconds: Int64, clock: any WallClock, logger: Logger
    ) {
        self.dataDirectory = dataDirectory
        self.pair = pair
        self.orderBookLevels = orderBookLevels
        self.compressor = compressor
        self.compressionDelay = compressionDelayMicroseconds
        self.clock = clock
        self.logger = logger
    }

    /// Writes every row of `batch`, one `write` per run of rows of the same kind and day.
    func write(_ batch: RowBatch) {
        // Stops at the last stream with rows: most batches hold book rows and trades, the first two,
        // and looking at each of the ~20 streams (candles per interval) cost more than writing them.
        var rowsLeft = batch.byteCount > 0 ? batch.rowCount : 0
        for kind in RecordedStream.allCases {
            guard rowsLeft > 0 else { return }
            let rows = batch.rows(of: kind)
            rowsLeft -= rows.count
            var first = 0
            while first < rows.count {
                let day = Self.day(ofMicroseconds: rows.times[first])
                var last = first
                while last + 1 < rows.count, Self.day(ofMicroseconds: rows.times[last + 1]) == day { last += 1 }
                writeRun(kind: kind, day: day, rows: rows, first: first, last: last)
                first = last + 1
            }
        }
    }

    /// Records rows the producer dropped because the writer fell too far behind.
    func recordBacklogLoss(_ backlog: WriteLoss) {
        // The producer side already counted these rows in `rowsDropped`.
        noteFailure(backlog, error: backlog.reason, isCounted: true)
    }

    /// After each write cycle: once writing works again, records the loss in the ledger; then hands
    /// finished days to the compressor.
    func finishCycle() {
        if let pending = loss, !hasFailedThisCycle {
            var event = RowBatch(orderBookLevels: 0)
            event.appendEvent(
                timestamp: UTCTimestamp(microsecondsSince1970: pending.firstTime),
                event: EventCSV.writeFailedEvent, detail: pending.detail)
            let day = Self.day(ofMicroseconds: pending.firstTime)
            if writeRun(kind: .events, day: day, rows: event.events, first: 0, last: 0, isRecordingLoss: false) {
                logger.notice("recorded lost rows in the events file", metadata: [
                    "market": "\(pair)", "storage.rows_lost": "\(pending.rowCount)",
                ])
                loss = nil
            }
        }
        hasFailedThisCycle = false
        compressFinishedDays()
    }

    func closeAll() {
        for entry in openFiles.values { entry.file.close() }
        openFiles.removeAll()
    }

    // MARK: - Writing

    @discardableResult
    private func writeRun(
        kind: RecordedStream, day: Int64, rows: RowBatch.Rows, first: Int, last: Int, isRecordingLoss: Bool = true
    ) -> Bool {
        let range = rows.range(ofRow: first).lowerBound..<rows.range(ofRow: last).upperBound
        let key = DayKey(kind: kind, day: day)
        do {
            let file = try file(for: key)
            try rows.bytes[range].withUnsafeBytes { try file.append($0) }
            countWritten(rows: last - first + 1, key: key)
            return true
        } catch {
            // Reopen next time: the descriptor may be what failed, and reopening repairs the tail.
            openFiles[key]?.file.close()
            let name = openFiles.removeValue(forKey: key)?.name ?? DailyFileName(kind: kind, day: day)
            if isRecordingLoss {
                let lost = WriteLoss(
                    kind: kind, times: rows.times[first...last], fileName: name.relativePath, reason: "\(error)")
                noteFailure(lost, error: "\(error)")
            } else {
                hasFailedThisCycle = true
                logger.debug("still cannot write", metadata: ["market": "\(pair)", "error": "\(error)"])
            }
            return false
        }
    }

    private func noteFailure(_ lost: WriteLoss, error: String, isCounted: Bool = false) {
        if loss == nil || counters.lastError != error {
            logger.error("rows lost: cannot write data files", metadata: [
                "market": "\(pair)", "error": "\(error)", "storage.rows_lost": "\(lost.rowCount)",
            ])
        }
        if loss == nil { loss = lost } else { loss?.merge(lost) }
        hasFailedThisCycle = true
        if !isCounted { counters.rowsDropped += lost.rowCount }
        counters.lastError = error
        counters.lastErrorAt = clock.now()
    }

    private func countWritten(rows: Int, key: DayKey) {
        if key.day > newestDay {
            newestDay = key.day
            counters.day = DailyFileName.date(ofDay: key.day)
            counters.rowsWrittenTodayByStream = StreamCounts()
        }
        if key.day == newestDay { counters.rowsWrittenTodayByStream[key.kind] += rows }
    }

    /// The open file for a stream and day, opening (and choosing the folder and variant of) it if needed.
    private func file(for key: DayKey) throws -> AppendOnlyFile {
        if let entry = openFiles[key] { return entry.file }
        let layout = StreamLayout(stream: key.kind, levels: orderBookLevels)
        let streamFolder = DailyFileName.folder(dataDirectory: dataDirectory, pair: pair, kind: key.kind)
        let dayName = DailyFileName(kind: key.kind, day: key.day)
        let layoutName = DailyFileName(kind: key.kind, day: key.day, layoutFolder: layout.layoutFolderName)
        for name in Set([dayName, layoutName]) {
            compressor?.reclaim(pathPrefix: name.folder(dataDirectory: dataDirectory, pair: pair) + "/" + key.kind.fileStem + name.date)
        }
        try Self.createFolders([dataDirectory, dataDirectory + "/" + pair, streamFolder])
        let header = layout.header
        // The stream's folder keeps the pair's first layout; another layout goes to its own sub-folder.
        var usesLayoutFolder = false
        if layout.layoutFolderName != nil {
            let rootState = try headerState(of: dayName, header: header) ?? newestHeaderState(in: key.kind, header: header)
            usesLayoutFolder = rootState == .differs
        }
        let first = usesLayoutFolder ? layoutName : dayName
        if usesLayoutFolder { try Self.createFolders([first.folder(dataDirectory: dataDirectory, pair: pair)]) }
        for variant in 0..<100 {
            var name = first
            name.variant = variant
            guard try headerState(of: name, header: header) != .differs else { continue }
            if variant > 0 || usesLayoutFolder {
                logger.info("existing files have another header; writing this layout apart", metadata: [
                    "market": "\(pair)", "file": "\(name.relativePath)",
                ])
            }
            let plainPath = name.path(dataDirectory: dataDirectory, pair: pair)
            let (file, repaired) = try AppendOnlyFile.open(path: plainPath, header: header)
            if repaired > 0 {
                logger.notice("cut a torn last line", metadata: ["file": "\(plainPath)", "storage.bytes_cut": "\(repaired)"])
            }
            evictOldFiles()
            openFiles[key] = (name, file)
            if compressor != nil {
                unfinishedDays.insert(key)
                compressionCheckAt = .min
            }
            return file
        }
        throw StorageError.tooManyLayouts(path: dayName.path(dataDirectory: dataDirectory, pair: pair))
    }

    /// How the existing file `name` (plain, else its gzip) starts compared with `header`; nil when neither exists.
    private func headerState(of name: DailyFileName, header: [UInt8]) throws -> AppendOnlyFile.HeaderState? {
        let plainPath = name.plain.path(dataDirectory: dataDirectory, pair: pair)
        let gzipPath = name.compressed.path(dataDirectory: dataDirectory, pair: pair)
        let state = try AppendOnlyFile.headerState(path: plainPath, header: header)
        if state != .absentOrTorn || access(plainPath, F_OK) == 0 { return state }
        guard access(gzipPath, F_OK) == 0 else { return nil }
        return AppendOnlyFile.compare(try Gzip.prefix(path: gzipPath, count: header.count), with: header)
    }

    /// The header state of the newest other day's file in the stream's own folder (the pair's layout there);
    /// `.absentOrTorn` when the folder has none, so the first layout of a pair takes the stream's folder.
    private func newestHeaderState(in stream: RecordedStream, header: [UInt8]) throws -> AppendOnlyFile.HeaderState {
        let files = DailyFileName.existing(dataDirectory: dataDirectory, pair: pair, kind: stream)
        for name in files.reversed() where name.layoutFolder == nil && name.variant == 0 {
            if let state = try headerState(of: name, header: header), state != .absentOrTorn { return state }
        }
        return .absentOrTorn
    }

    /// Keeps a few descriptors: today's of every stream (with ticker and several ohlc intervals a pair
    /// writes more than six streams a day; closing one of today's would reopen it on every batch) and a
    /// late row's day or two.
    private func evictOldFiles() {
        guard openFiles.count >= 6 else { return }
        let days = openFiles.keys.map(\.day)
        guard let oldestDay = days.min(), let newestDay = days.max(), oldestDay < newestDay,
            let oldest = openFiles.keys.first(where: { $0.day == oldestDay })
        else { return }
        openFiles.removeValue(forKey: oldest)?.file.close()
    }

    private static func createFolders(_ paths: [String]) throws {
        for path in paths where mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw StorageError.cannotCreateFolder(path: path, errno: errno)
        }
    }

    static func day(ofMicroseconds microseconds: Int64) -> Int64 {
        UTCTimestamp(microsecondsSince1970: microseconds).dayNumber
    }
}
