import Foundation

/// One daily CSV file open with `O_APPEND`. Each `append` writes whole rows or nothing: after a failed or
/// short write the file is cut back to its size before the write, so no reader ever sees half a row.
/// Used by the writer thread only.
final class AppendOnlyFile {
    let path: String
    private var descriptor: Int32

    /// How the start of an existing file compares with the header we would write.
    enum HeaderState: Equatable {
        /// No file, an empty file, or a header cut short by a crash: usable, the header is (re)written.
        case absentOrTorn
        case matches
        case differs
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Opens (creating if needed) `path` for appending, cuts a torn last line, and writes `header` if the
    /// file holds no complete line. Returns the file and how many torn bytes were cut.
    static func open(path: String, header: [UInt8]) throws -> (file: AppendOnlyFile, repairedBytes: Int) {
        let descriptor = Glibc.open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StorageError.cannotOpen(path: path, errno: errno) }
        let file = AppendOnlyFile(path: path, descriptor: descriptor)
        let repaired = try file.cutTornTail()
        if try file.size() == 0 {
            try header.withUnsafeBytes { try file.append($0) }
        }
        return (file, repaired)
    }

    /// Cuts a torn last line of a file nobody is appending to (a finished day before compression).
    static func repairTail(path: String) throws -> Int {
        let descriptor = Glibc.open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw StorageError.cannotOpen(path: path, errno: errno) }
        return try AppendOnlyFile(path: path, descriptor: descriptor).cutTornTail()
    }

    /// Compares the first line of the plain file at `path` with `header` (which ends in a newline).
    static func headerState(path: String, header: [UInt8]) throws -> HeaderState {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return .absentOrTorn }
            throw StorageError.cannotRead(path: path, errno: errno)
        }
        defer { Glibc.close(descriptor) }
        let start = try readFully(descriptor: descriptor, path: path, offset: 0, count: header.count)
        return compare(start, with: header)
    }

    /// `start` is the first bytes of a file (at most the header's length).
    static func compare(_ start: [UInt8], with header: [UInt8]) -> HeaderState {
        if start.count == header.count, start == header { return .matches }
        // A torn first line (no newline yet) that is a prefix of our header is a crash during its write.
        if !start.contains(CSVText.newline), header.starts(with: start) { return .absentOrTorn }
        return .differs
    }

    func size() throws -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw StorageError.cannotRead(path: path, errno: errno) }
        return Int(info.st_size)
    }

    /// Writes all of `bytes` or, on any error, truncates back to the size before and throws.
    ///
    /// The size before is not asked up front: an `fstat` before every `write` was a third of a group
    /// collector's file syscalls (issue 10). With `O_APPEND` and this process the file's one writer,
    /// the size before is the size after a failed write less what this call wrote. Should even that
    /// `fstat` fail, the caller reopens the file after the error, and `open` cuts the torn tail.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var written = 0
        while written < bytes.count {
            let count = write(descriptor, base + written, bytes.count - written)
            if count < 0, errno == EINTR { continue }
            if count <= 0 {
                let code = count < 0 ? errno : EIO
                // Cut what a short write left; a torn row here would be parsed by readers.
                if written > 0, let sizeAfter = try? size() { _ = ftruncate(descriptor, off_t(sizeAfter - written)) }
                throw StorageError.cannotWrite(path: path, errno: code)
            }
            written += count
        }
    }

    /// Cuts everything after the last newline (a row torn by a power cut or kill -9). Returns the cut bytes.
    private func cutTornTail() throws -> Int {
        let size = try self.size()
        guard size > 0 else { return 0 }
        let chunkSize = 64 * 1024
        var end = size
        while end > 0 {
            let start = max(0, end - chunkSize)
            let length = end - start
            let chunk = try Self.readFully(descriptor: descriptor, path: path, offset: start, count: length)
            if let newline = chunk.lastIndex(of: CSVText.newline) {
                let keep = start + newline + 1
                guard keep < size else { return 0 }
                return try truncate(to: keep, from: size)
            }
            end = start
        }
        return try truncate(to: 0, from: size)
    }

    /// Reads up to `count` bytes at `offset` (fewer only at the end of the file).
    static func readFully(descriptor: Int32, path: String, offset: Int, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let result = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(descriptor, base + filled, count - filled, off_t(offset + filled))
            }
            if result < 0, errno == EINTR { continue }
            if result < 0 { throw StorageError.cannotRead(path: path, errno: errno) }
            if result == 0 { break }
            filled += result
        }
        return Array(bytes[..<filled])
    }

    private func truncate(to keep: Int, from size: Int) throws -> Int {
        guard ftruncate(descriptor, off_t(keep)) == 0 else { throw StorageError.cannotRepair(path: path, errno: errno) }
        return size - keep
    }

    /// Closes the file after asking the OS to put it on disk (a clean stop should survive a power cut).
    func close() {
        if descriptor >= 0 {
            fsync(descriptor)
            Glibc.close(descriptor)
        }
        descriptor = -1
    }
}
