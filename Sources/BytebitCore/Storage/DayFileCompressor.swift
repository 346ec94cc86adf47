import Foundation
import Logging

/// Gzips finished daily files on its own thread, so neither the WebSocket thread nor the writer waits.
/// Crash-safe: it writes `….csv.gz.tmp`, fsyncs, renames to `….csv.gz`, then deletes the `.csv`; a crash
/// leaves the plain file (and maybe a stale `.tmp`, overwritten next time) or both files, which the next
/// run settles by comparing the gzip trailer with the plain file. A plain file next to a `.gz` that it
/// does not match holds late rows: they are appended to the `.gz` as one more gzip member.
final class DayFileCompressor: @unchecked Sendable {
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [String] = []
    private var current: String?
    private var isCancellingCurrent = false
    private var isCommitting = false
    private var isClosing = false
    private var isRunning = false

    private let level: Int32
    private let logger: Logger

    init(level: Int32 = 6, logger: Logger) {
        self.level = level
        self.logger = logger
    }

    /// Queues a plain `.csv` file for compression (once).
    func enqueue(_ plainPath: String) {
        condition.withLock {
            guard !isClosing, current != plainPath, !queue.contains(plainPath) else { return }
            queue.append(plainPath)
            if !isRunning {
                isRunning = true
                let thread = Thread { [self] in run() }
                thread.name = "bytebit-gzip"
                thread.start()
            }
            condition.broadcast()
        }
    }

    /// Takes the files whose paths start with `pathPrefix` back before the writer appends to one: unqueues
    /// them and cancels (or waits out the final rename of) a compression in progress.
    func reclaim(pathPrefix: String) {
        condition.withLock {
            queue.removeAll { $0.hasPrefix(pathPrefix) }
            guard let path = current, path.hasPrefix(pathPrefix) else { return }
            if !isCommitting { isCancellingCurrent = true }
            while let path = current, path.hasPrefix(pathPrefix) { condition.wait() }
        }
    }

    /// Blocks until nothing is queued or in progress.
    func waitUntilIdle() {
        condition.withLock {
            while current != nil || !queue.isEmpty, isRunning { condition.wait() }
        }
    }

    /// Cancels the work in progress (the plain file stays) and stops the thread.
    func close() {
        condition.withLock {
            isClosing = true
            queue.removeAll()
            if current != nil, !isCommitting { isCancellingCurrent = true }
            condition.broadcast()
            while isRunning { condition.wait() }
        }
    }

    private func run() {
        condition.lock()
        while true {
            while queue.isEmpty, !isClosing { condition.wait() }
            if isClosing { break }
            let path = queue.removeFirst()
            current = path
            isCancellingCurrent = false
            condition.unlock()
            do {
                let finished = try compress(plainPath: path)
                logger.info(finished ? "compressed finished day" : "compression cancelled", metadata: ["file": "\(path)"])
            } catch {
                logger.warning("compression failed", metadata: ["file": "\(path)", "error": "\(error)"])
            }
            condition.lock()
            current = nil
            isCommitting = false
            condition.broadcast()
        }
        isRunning = false
        condition.broadcast()
        condition.unlock()
    }

    private var shouldStop: Bool { condition.withLock { isCancellingCurrent || isClosing } }

    /// Compresses one file; false when cancelled (the plain file is then untouched).
    private func compress(plainPath: String) throws -> Bool {
        let gzipPath = plainPath + ".gz"
        let temporaryPath = gzipPath + ".tmp"
        guard access(plainPath, F_OK) == 0 else { return true }
        // A crash may have torn the day's last line and no writer reopened the file to cut it.
        let cut = try AppendOnlyFile.repairTail(path: plainPath)
        if cut > 0 { logger.notice("cut a torn last line", metadata: ["file": "\(plainPath)", "storage.bytes_cut": "\(cut)"]) }
        let headerLength = try Self.firstLineLength(path: plainPath)
        let hasGzip = access(gzipPath, F_OK) == 0
        if hasGzip {
            let body = try Gzip.checksum(path: plainPath, from: headerLength)
            if body.size == 0 { return try commit(temporary: nil, gzipPath: gzipPath, plainPath: plainPath) }
            if let trailer = try Gzip.trailer(path: gzipPath) {
                let whole = try Gzip.checksum(path: plainPath, from: 0)
                // The gzip already holds this file: a crash came between the rename and the delete.
                if trailer == whole || trailer == body {
                    return try commit(temporary: nil, gzipPath: gzipPath, plainPath: plainPath)
                }
            }
        }
        let input = open(plainPath, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw StorageError.cannotRead(path: plainPath, errno: errno) }
        defer { Glibc.close(input) }
        let output = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw StorageError.cannotOpen(path: temporaryPath, errno: errno) }
        var isOutputOpen = true
        defer { if isOutputOpen { Glibc.close(output) } }
        do {
            if hasGzip { try Gzip.copy(path: gzipPath, to: output, outputPath: temporaryPath) }
            let completed = try Gzip.compressMember(
                from: input, inputPath: plainPath, offset: hasGzip ? headerLength : 0,
                to: output, outputPath: temporaryPath, level: level, shouldStop: { shouldStop })
            guard completed else {
                unlink(temporaryPath)
                return false
            }
            guard fsync(output) == 0 else { throw StorageError.cannotWrite(path: temporaryPath, errno: errno) }
        } catch {
            unlink(temporaryPath)
            throw error
        }
        Glibc.close(output)
        isOutputOpen = false
        return try commit(temporary: temporaryPath, gzipPath: gzipPath, plainPath: plainPath)
    }

    /// Renames the finished `.tmp` over the `.gz` and deletes the plain file, unless cancelled first.
    private func commit(temporary: String?, gzipPath: String, plainPath: String) throws -> Bool {
        let cancelled = condition.withLock {
            if isCancellingCurrent || isClosing { return true }
            isCommitting = true
            return false
        }
        if cancelled {
            if let temporary { unlink(temporary) }
            return false
        }
        if let temporary {
            guard rename(temporary, gzipPath) == 0 else {
                let code = errno
                unlink(temporary)
                throw StorageError.cannotWrite(path: gzipPath, errno: code)
            }
            Self.syncFolder(of: gzipPath)
        }
        guard unlink(plainPath) == 0 || errno == ENOENT else { throw StorageError.cannotWrite(path: plainPath, errno: errno) }
        return true
    }

    /// The length of the first line with its newline (the header), 0 if there is none.
    static func firstLineLength(path: String) throws -> Int {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StorageError.cannotRead(path: path, errno: errno) }
        defer { Glibc.close(descriptor) }
        let start = try AppendOnlyFile.readFully(descriptor: descriptor, path: path, offset: 0, count: 64 * 1024)
        return start.firstIndex(of: CSVText.newline).map { $0 + 1 } ?? 0
    }

    /// Makes a rename durable: fsync the folder that holds the file.
    static func syncFolder(of path: String) {
        let folder = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        Glibc.close(descriptor)
    }
}
