import Foundation

/// Reads back the last recorded `trade_id` of a pair, so a restarted collector can skip the trades of
/// Kraken's resubscribe snapshot that are already on disk.
public enum LastTradeID {
    /// The `trade_id` of the last complete row of the newest trade file dated `today` or earlier (plain
    /// or gzip, any layout variant); nil when no trade file has a row. A plain file is read from its
    /// tail only; a gzip file (a finished day) is streamed through once.
    public static func read(dataDirectory: String, pair: String, today: UTCTimestamp) throws -> UInt64? {
        let folder = DailyFileName.folder(dataDirectory: dataDirectory, pair: pair, kind: .trades)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            return nil
        }
        let files = names.compactMap { DailyFileName(parsing: $0, kind: .trades) }.filter { $0.day <= today.dayNumber }
        for day in Set(files.map(\.day)).sorted(by: >) {
            var newest: UInt64?
            for file in files where file.day == day {
                let path = folder + "/" + file.fileName
                let line = file.isCompressed ? try lastLineOfGzip(path: path) : try lastLineOfPlain(path: path)
                if let line, let id = tradeID(inRow: line) { newest = max(newest ?? 0, id) }
            }
            if let newest { return newest }
        }
        return nil
    }

    /// The third field of a trade row; nil for the header or anything else.
    static func tradeID(inRow row: ArraySlice<UInt8>) -> UInt64? {
        let fields = row.split(separator: CSVText.comma, omittingEmptySubsequences: false)
        guard fields.count >= 3, !fields[2].isEmpty else { return nil }
        return UInt64(String(decoding: fields[2], as: UTF8.self))
    }

    /// The last line that ends in a newline, without it (a torn tail is ignored). `isFileStart` says
    /// whether `bytes` begins at the start of the file; if not, a line must begin after a newline.
    static func lastCompleteLine(_ bytes: [UInt8], isFileStart: Bool) -> ArraySlice<UInt8>? {
        guard let end = bytes.lastIndex(of: CSVText.newline) else { return nil }
        guard let previous = bytes[..<end].lastIndex(of: CSVText.newline) else {
            return isFileStart ? bytes[..<end] : nil
        }
        return bytes[(previous + 1)..<end]
    }

    private static func lastLineOfPlain(path: String) throws -> ArraySlice<UInt8>? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StorageError.cannotRead(path: path, errno: errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw StorageError.cannotRead(path: path, errno: errno) }
        // A trade row is ~100 bytes: 4 KiB holds the last complete one even behind a torn tail.
        let size = Int(info.st_size)
        let start = max(0, size - 4096)
        let tail = try AppendOnlyFile.readFully(descriptor: descriptor, path: path, offset: start, count: size - start)
        return lastCompleteLine(tail, isFileStart: start == 0)
    }

    private static func lastLineOfGzip(path: String) throws -> ArraySlice<UInt8>? {
        var window: [UInt8] = []
        var isFileStart = true
        try Gzip.decompress(path: path) { chunk in
            // Keep only what can hold the last line: the tail of the previous chunk plus this one.
            window.append(contentsOf: chunk)
            if window.count > 8192 {
                window.removeFirst(window.count - 8192)
                isFileStart = false
            }
            return true
        }
        return lastCompleteLine(window, isFileStart: isFileStart)
    }
}
