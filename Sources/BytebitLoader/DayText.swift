import BytebitCore
import BytebitView
import Foundation

/// The rows of one key, as one text: the day's `.csv.gz` (if any) then the `.csv` (if any; beside a
/// `.gz` it holds late rows, which the compressor later appends to the `.gz` as one more member), each
/// file's header read once. Lines count and bytes measure this text, so a position stays right when
/// the plain file is compressed.
public struct DayText: Sendable, Equatable {
    public var key: LoadKey
    /// The `.csv.gz`, then the `.csv`; at least one.
    public var paths: [String]

    /// Every key with files under `dataDirectory` for `pair`, sorted (events, trades, book per day).
    public static func all(dataDirectory: String, pair: String) -> [DayText] {
        var byKey: [LoadKey: [String]] = [:]
        for stream in RecordedStream.allCases {
            // Sorted gzip before plain within a day, layout and variant.
            for file in DailyFileName.existing(dataDirectory: dataDirectory, pair: pair, kind: stream) {
                byKey[LoadKey(pair: pair, file: file), default: []].append(file.path(dataDirectory: dataDirectory, pair: pair))
            }
        }
        return byKey.keys.sorted().map { DayText(key: $0, paths: withoutCompressedCopy(byKey[$0] ?? [])) }
    }

    /// Drops a plain file that its `.gz` already holds: the compressor renames the new `.gz` into place
    /// and then deletes the plain file, so for a moment (or after a crash between the two) both exist.
    /// Like the compressor, compare the gzip trailer (CRC-32 and size of its last member) with the
    /// plain file, whole or without its header (late rows appended as one more member).
    static func withoutCompressedCopy(_ paths: [String]) -> [String] {
        guard paths.count == 2, paths[0].hasSuffix(".csv.gz"), paths[1].hasSuffix(".csv"),
              let trailer = try? Gzip.trailer(path: paths[0])
        else { return paths }
        if let whole = try? Gzip.checksum(path: paths[1], from: 0), whole == trailer { return [paths[0]] }
        if let headerLength = firstLineLength(paths[1]), let body = try? Gzip.checksum(path: paths[1], from: headerLength),
           body.size > 0, body == trailer {
            return [paths[0]]
        }
        return paths
    }

    private static func firstLineLength(_ path: String) -> Int? {
        guard let reader = try? LineReader(path: path) else { return nil }
        var found = false
        _ = try? reader.forEachLine { _, _ in
            found = true
            return false
        }
        return found ? Int(reader.nextLineOffset) : nil
    }

    /// Sizes and change times of the files: unchanged means no new rows since the last look.
    public var signature: [Int64] {
        paths.flatMap { path -> [Int64] in
            var info = stat()
            guard stat(path, &info) == 0 else { return [-1] }
            return [Int64(info.st_size), Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec), Int64(info.st_ino)]
        }
    }
}

/// Reads a key's complete lines after a position; what follows the last newline (a row still being
/// written) is left for the next read.
final class DayTextReader {
    let text: DayText
    /// The layout read from the first file's header.
    private(set) var layout: StreamLayout?
    /// The position after the last line delivered.
    private(set) var position: LoadPosition
    private var partIndex = 0
    private var reader: LineReader?
    /// Data lines of the parts before the current one.
    private var linesBefore: Int64 = 0
    /// Bytes of the text before the current part's rows (the first part's header included).
    private var textBefore: Int64 = 0
    /// The current part's header length.
    private var headerLength: Int64 = 0
    /// Data lines of the current part seen (read or skipped), and how many are skipped to reach the position.
    private var partLines: Int64 = 0
    private var linesToSkip: Int64 = 0

    enum ReadError: Error, CustomStringConvertible {
        case badHeader(path: String, found: String)
        case layoutChanged(path: String)
        case shrunk(path: String)

        var description: String {
            switch self {
            case let .badHeader(path, found): "\(path): not a bytebit header: \(found.prefix(80))"
            case let .layoutChanged(path): "\(path): its header differs from the day's first file"
            case let .shrunk(path): "\(path): shorter than the position already loaded; left alone"
            }
        }
    }

    init(text: DayText, position: LoadPosition) {
        self.text = text
        self.position = position
    }

    /// Calls `body` with each complete line after the position and the line's number in its file (the
    /// header is line 1), until `body` returns false or the text ends. The position moves past each line
    /// delivered.
    func read(_ body: (UnsafeBufferPointer<UInt8>, _ path: String, _ fileLine: Int64) throws -> Bool) throws {
        while partIndex < text.paths.count {
            let path = text.paths[partIndex]
            if reader == nil {
                guard try open(path) else {
                    // No complete header yet: a last part may still get one; an earlier part holds nothing.
                    guard partIndex + 1 < text.paths.count else { return }
                    partIndex += 1
                    continue
                }
            }
            guard let reader else { return }
            var stopped = false
            try reader.forEachLine { line, _ in
                partLines += 1
                if partLines <= linesToSkip { return true }
                position.lines = linesBefore + partLines
                position.bytes = textBefore + reader.nextLineOffset - headerLength
                if try !body(line, path, partLines + 1) {
                    stopped = true
                    return false
                }
                return true
            }
            if stopped { return }
            // The end of what is written now. The last part may still grow: stay on it.
            guard partIndex + 1 < text.paths.count else { return }
            linesBefore += partLines
            textBefore += reader.nextLineOffset - headerLength
            partIndex += 1
            self.reader = nil
        }
    }

    /// Opens a part, checks its header and places it at the position; false without a complete header.
    private func open(_ path: String) throws -> Bool {
        let isPlain = !path.hasSuffix(".gz")
        // A plain file's header is read with a small buffer (a big one would read a megabyte of rows
        // each pass while following); the rows are then read from their offset.
        let opened = try LineReader(path: path, bufferSize: isPlain ? 16 << 10 : 1 << 20)
        var header: String?
        try opened.forEachLine { line, _ in
            header = String(decoding: line, as: UTF8.self)
            return false
        }
        guard let header else { return false }
        let cells = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let found = StreamLayout(stream: text.key.stream, headerCells: cells) else {
            throw ReadError.badHeader(path: path, found: header)
        }
        if let layout, layout != found { throw ReadError.layoutChanged(path: path) }
        layout = found
        headerLength = opened.nextLineOffset
        // The first part's header is part of the text.
        if partIndex == 0 {
            textBefore = headerLength
            if position.bytes == 0 { position.bytes = headerLength }
        }
        partLines = 0
        linesToSkip = max(0, position.lines - linesBefore)
        if isPlain, !opened.isCompressed {
            // A plain file seeks straight to the position (or its first row), with a buffer for what is left.
            let offset = linesToSkip > 0 ? position.bytes - textBefore + headerLength : headerLength
            guard let size = DataDirectory.size(of: path), size >= offset else { throw ReadError.shrunk(path: path) }
            let left = Int(min(Int64(1 << 20), max(Int64(16 << 10), size - offset + 1)))
            reader = try LineReader(path: path, offset: offset, bufferSize: left)
            partLines = linesToSkip
        } else {
            reader = opened
        }
        return true
    }
}
