import BytebitCore
import BytebitView
import Foundation

extension Loader {
    /// Rows behind per stream: complete lines after the committed position in plain files, and days
    /// whose gzip holds rows not yet loaded (counted as days: reading them would mean decompressing).
    public func backlog() -> [RecordedStream: (rows: Int, days: Int)] {
        var behind: [RecordedStream: (rows: Int, days: Int)] = [:]
        for pair in listing.pairs() where settings.pairs?.contains(pair) ?? true {
            for text in listing.texts(pair: pair) {
                if let from = settings.fromDay, text.key.day < from { continue }
                if let to = settings.toDay, text.key.day > to { continue }
                if finished[text.key] == text.signature { continue }
                var entry = behind[text.key.stream] ?? (0, 0)
                if text.paths.count == 1, let path = text.paths.first, path.hasSuffix(".csv") {
                    entry.rows += Self.completeLines(path: path, after: positions[text.key]?.bytes ?? 0)
                } else {
                    entry.days += 1
                }
                behind[text.key.stream] = entry
            }
        }
        return behind
    }

    /// Newlines after `offset` (after the header when `offset` is 0).
    static func completeLines(path: String, after offset: Int64) -> Int {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var position = off_t(offset)
        var lines = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, position) }
            guard count > 0 else { break }
            for index in 0..<count where buffer[index] == 0x0A { lines += 1 }
            position += off_t(count)
        }
        // From the file's start, the first newline ends the header.
        return offset == 0 ? max(0, lines - 1) : lines
    }
}
