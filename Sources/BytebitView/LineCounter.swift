import BytebitCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Line numbers of byte offsets in a plain file, counted on demand and forward from the last answer:
/// a windowed scan seeks past the lines before the window, yet a corrupt row is still reported by line.
struct LineCounter {
    let path: String
    /// The last offset counted to and the line that starts there.
    private var known: (offset: Int64, line: Int) = (0, 1)

    init(path: String) {
        self.path = path
    }

    /// The 1-based line that starts at `offset` (a line start); nil if the file cannot be read.
    mutating func lineNumber(atOffset offset: Int64) -> Int? {
        if offset < known.offset { known = (0, 1) }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        var position = known.offset
        var line = known.line
        while position < offset {
            let wanted = Int(min(Int64(chunk.count), offset - position))
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(position)) }
            guard count > 0 else { return nil }
            line += chunk[0..<count].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            position += Int64(count)
        }
        known = (offset, line)
        return line
    }
}
