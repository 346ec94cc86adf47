import Foundation

/// Reads back the last recorded `trade_id` of a pair, so a restarted collector can skip the trades of
/// Kraken's resubscribe snapshot that are already on disk.
public enum LastTradeID {
    /// The `trade_id` of the last complete row of the newest trade file dated `today` or earlier (plain
    /// or gzip, any layout); nil when no trade file has a row.
    public static func read(dataDirectory: String, pair: String, today: UTCTimestamp) throws -> UInt64? {
        try LastRecordedRow.values(dataDirectory: dataDirectory, pair: pair, kind: .trades, today: today) { row in
            tradeID(inRow: row)
        }.max()
    }

    /// The third field of a trade row; nil for the header or anything else.
    static func tradeID(inRow row: ArraySlice<UInt8>) -> UInt64? {
        let fields = row.split(separator: CSVText.comma, omittingEmptySubsequences: false)
        guard fields.count >= 3, !fields[2].isEmpty else { return nil }
        return UInt64(String(decoding: fields[2], as: UTF8.self))
    }
}

/// The last complete row of a pair's newest file of one kind, read from the file's tail.
public enum LastRecordedRow {
    /// The first two cells (timestamp and the next) of the last complete row of the newest `kind` file
    /// dated `today` or earlier; nil when there is none.
    public static func leadingCells(
        dataDirectory: String, pair: String, kind: RecordedStream, today: UTCTimestamp
    ) throws -> (String, String)? {
        try values(dataDirectory: dataDirectory, pair: pair, kind: kind, today: today) { row -> (String, String)? in
            let cells = row.split(separator: CSVText.comma, maxSplits: 2, omittingEmptySubsequences: false)
            guard cells.count >= 2, cells[0].first != UInt8(ascii: "t") else { return nil }
            return (String(decoding: cells[0], as: UTF8.self), String(decoding: cells[1], as: UTF8.self))
        }.max { $0.0 < $1.0 }
    }

    /// `extract` applied to the last complete row of each file (layout variants) of the newest day
    /// that has a row. A plain file is read from its tail only; a gzip file (a finished day) is
    /// streamed through once.
    static func values<Value>(
        dataDirectory: String, pair: String, kind: RecordedStream, today: UTCTimestamp,
        extract: (ArraySlice<UInt8>) -> Value?
    ) throws -> [Value] {
        let files = DailyFileName.existing(dataDirectory: dataDirectory, pair: pair, kind: kind)
            .filter { $0.day <= today.dayNumber }
        for day in Set(files.map(\.day)).sorted(by: >) {
            var found: [Value] = []
            for file in files where file.day == day {
                let path = file.path(dataDirectory: dataDirectory, pair: pair)
                let line = file.isCompressed ? try lastLineOfGzip(path: path) : try lastLineOfPlain(path: path)
                if let line, let value = extract(line) { found.append(value) }
            }
            if !found.isEmpty { return found }
        }
        return []
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
        // Read a growing tail until it holds a whole last line (a 1000-level book row is ~40 KB).
        let size = Int(info.st_size)
        var span = 4096
        while true {
            let start = max(0, size - span)
            let tail = try AppendOnlyFile.readFully(descriptor: descriptor, path: path, offset: start, count: size - start)
            if let line = lastCompleteLine(tail, isFileStart: start == 0) { return line }
            if start == 0 { return nil }
            span *= 4
        }
    }

    private static func lastLineOfGzip(path: String) throws -> ArraySlice<UInt8>? {
        var window: [UInt8] = []
        var isFileStart = true
        try Gzip.decompress(path: path) { chunk in
            // Keep only what can hold the last line: the tail of the previous chunk plus this one.
            window.append(contentsOf: chunk)
            if window.count > 1 << 20 {
                window.removeFirst(window.count - (1 << 20))
                isFileStart = false
            }
            return true
        }
        return lastCompleteLine(window, isFileStart: isFileStart)
    }
}
