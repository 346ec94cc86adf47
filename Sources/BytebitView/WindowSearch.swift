import BytebitCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds where a time window starts in a plain day file without reading the rows before it: rows are in
/// time order, so a binary search over byte offsets (probing the first full line after each offset)
/// lands near the first row at or after the start. Gzip files cannot seek and are scanned instead.
enum WindowSearch {
    /// A byte offset of a line start at or before the first row with `timestamp ≥ from`; `dataStart` if
    /// nothing earlier can be ruled out. The caller still skips rows before `from`, so the answer only has
    /// to be early, never late.
    static func offset(
        ofFirstRowAtOrAfter from: UTCTimestamp, path: String, dataStart: Int64
    ) throws(ViewError) -> Int64 {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path: path, errno: errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(path: path, errno: errno) }
        var low = dataStart
        var high = Int64(status.st_size)
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while high - low > closeEnough {
            let middle = low + (high - low) / 2
            guard let lineStart = nextLineStart(after: middle, before: high, descriptor: descriptor, chunk: &chunk)
            else {
                high = middle
                continue
            }
            guard let stamp = timestamp(at: lineStart, descriptor: descriptor) else {
                // A damaged probe row: stop narrowing; the scan from `low` will report it.
                return low
            }
            if stamp < from { low = lineStart } else { high = lineStart }
        }
        return low
    }

    /// Below this distance a straight scan is cheaper than more probes; also the most the answer can be early.
    static let closeEnough: Int64 = 64 * 1024

    /// The first line start at or after `offset` (the file's size if there is none).
    static func lineStart(atOrAfter offset: Int64, path: String) throws(ViewError) -> Int64 {
        guard offset > 0 else { return 0 }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path: path, errno: errno) }
        defer { close(descriptor) }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        // A line starts at `offset` exactly when the byte before it is a newline.
        return nextLineStart(after: offset - 1, before: Int64.max, descriptor: descriptor, chunk: &chunk)
            ?? DataDirectory.size(of: path) ?? offset
    }

    /// The offset just after the first newline at or after `offset`, if it is before `limit`.
    private static func nextLineStart(
        after offset: Int64, before limit: Int64, descriptor: Int32, chunk: inout [UInt8]
    ) -> Int64? {
        var position = offset
        while position < limit {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(position)) }
            guard count > 0 else { return nil }
            if let index = chunk[0..<count].firstIndex(of: 0x0A) {
                let start = position + Int64(index) + 1
                return start < limit ? start : nil
            }
            position += Int64(count)
        }
        return nil
    }

    private static func timestamp(at offset: Int64, descriptor: Int32) -> UTCTimestamp? {
        var bytes = [UInt8](repeating: 0, count: 40)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
        guard count > 0 else { return nil }
        let end = bytes[0..<count].firstIndex(of: 0x2C) ?? count
        return bytes.withUnsafeBufferPointer { FastTimestamp.parse(UnsafeBufferPointer(rebasing: $0[0..<end])) }
    }
}
