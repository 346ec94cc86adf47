import BytebitCore

import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a recorded CSV file line by line, plain or gzip alike, through one reusable buffer: memory
/// stays flat however large the file. Plain files can start at a byte offset (found by `WindowSearch`).
public final class LineReader {
    /// Where a line came from, for error messages: the line number when the file was read from its start,
    /// and always the byte offset (in the uncompressed text).
    public struct Position: Sendable, Equatable, CustomStringConvertible {
        /// 1-based line number; nil when reading began at an offset and earlier lines were not counted.
        public var lineNumber: Int?
        /// Offset of the line's first byte in the uncompressed text.
        public var byteOffset: Int64

        public var description: String {
            if let lineNumber { return "line \(lineNumber)" }
            return "byte offset \(byteOffset)"
        }
    }

    private enum Source {
        case plain(Int32)
        case gzip(gzFile)
    }

    /// The file's path, for messages.
    public let path: String
    /// Whether the file is gzip-compressed (found from its first bytes, not its name).
    public let isCompressed: Bool
    private let source: Source
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var filled = 0
    private var consumed = 0
    private var nextLineNumber: Int?
    private var nextOffset: Int64
    /// Longest line kept whole; a longer one (no newline for megabytes: not a bytebit row) is delivered
    /// cut at this length, so the row check rejects it, and its rest is skipped: memory stays bounded.
    private let maximumLineLength: Int
    private var isSkippingLongLine = false

    /// Opens `path`; a plain file starts at `offset` (0 = the header). Gzip files always start at 0.
    public init(
        path: String, offset: Int64 = 0, bufferSize: Int = 1 << 20, maximumLineLength: Int = 16 << 20
    ) throws(ViewError) {
        self.path = path
        self.maximumLineLength = max(maximumLineLength, 4096)
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path: path, errno: errno) }
        var magic: (UInt8, UInt8) = (0, 0)
        let magicCount = withUnsafeMutableBytes(of: &magic) { pread(descriptor, $0.baseAddress, 2, 0) }
        let compressed = magicCount == 2 && magic.0 == 0x1f && magic.1 == 0x8b
        if compressed {
            guard let file = gzdopen(descriptor, "rb") else {
                close(descriptor)
                throw .unreadable(path: path, errno: ENOMEM)
            }
            gzbuffer(file, 256 * 1024)
            source = .gzip(file)
            nextOffset = 0
        } else {
            guard lseek(descriptor, off_t(offset), SEEK_SET) >= 0 else {
                let code = errno
                close(descriptor)
                throw .unreadable(path: path, errno: code)
            }
            source = .plain(descriptor)
            nextOffset = offset
        }
        isCompressed = compressed
        nextLineNumber = (compressed || offset == 0) ? 1 : nil
        capacity = max(bufferSize, 4096)
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        switch source {
        case let .plain(descriptor): close(descriptor)
        case let .gzip(file): gzclose(file)
        }
        buffer.deallocate()
    }

    /// Calls `body` with every complete line (without its `\n` or `\r\n`) until the end of what is
    /// written now, or until `body` returns false. Returns false if `body` stopped it. A last line
    /// without a newline stays pending (see `pendingTail`); a later call continues after it, which is
    /// what `--follow` needs for a file that is still growing.
    @discardableResult
    public func forEachLine(
        _ body: (UnsafeBufferPointer<UInt8>, Position) throws -> Bool
    ) throws -> Bool {
        while true {
            // Deliver every complete line in the buffer.
            while consumed < filled {
                let lineStart = buffer + consumed
                guard let found = memchr(lineStart, 0x0A, filled - consumed) else { break }
                let newline = found.assumingMemoryBound(to: UInt8.self)
                var length = newline - lineStart
                let lineLengthWithNewline = length + 1
                if isSkippingLongLine {
                    // The rest of a line already delivered cut short.
                    isSkippingLongLine = false
                    consumed += lineLengthWithNewline
                    nextOffset += Int64(lineLengthWithNewline)
                    continue
                }
                if length > 0, lineStart[length - 1] == 0x0D { length -= 1 }
                let position = Position(lineNumber: nextLineNumber, byteOffset: nextOffset)
                consumed += lineLengthWithNewline
                nextOffset += Int64(lineLengthWithNewline)
                if let number = nextLineNumber { nextLineNumber = number + 1 }
                if try !body(UnsafeBufferPointer(start: lineStart, count: length), position) { return false }
            }
            // Keep the unfinished tail at the front, grow if one line fills the whole buffer, read more.
            if consumed > 0 {
                let remaining = filled - consumed
                if remaining > 0 { memmove(buffer, buffer + consumed, remaining) }
                filled = remaining
                consumed = 0
            }
            if filled == capacity, filled >= maximumLineLength {
                let wasSkipping = isSkippingLongLine
                let position = Position(lineNumber: nextLineNumber, byteOffset: nextOffset)
                nextOffset += Int64(filled)
                filled = 0
                isSkippingLongLine = true
                if !wasSkipping {
                    if let number = nextLineNumber { nextLineNumber = number + 1 }
                    if try !body(UnsafeBufferPointer(start: buffer, count: maximumLineLength), position) { return false }
                }
            } else if filled == capacity {
                let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                larger.update(from: buffer, count: filled)
                buffer.deallocate()
                buffer = larger
                capacity *= 2
            }
            let count = try readMore()
            if count == 0 { return true }
            filled += count
        }
    }

    /// Offset of the next line to be delivered, in the uncompressed text.
    public var nextLineOffset: Int64 { nextOffset }

    /// The bytes after the last newline: a line still being written, or a torn last line.
    public var pendingTail: (bytes: [UInt8], position: Position)? {
        guard filled > consumed else { return nil }
        let bytes = Array(UnsafeBufferPointer(start: buffer + consumed, count: filled - consumed))
        return (bytes, Position(lineNumber: nextLineNumber, byteOffset: nextOffset))
    }

    /// Reads into the free part of the buffer; 0 at the (current) end of the file.
    private func readMore() throws -> Int {
        let free = capacity - filled
        let target = buffer + filled
        switch source {
        case let .plain(descriptor):
            while true {
                let count = read(descriptor, target, free)
                if count >= 0 { return count }
                if errno == EINTR { continue }
                throw ViewError.unreadable(path: path, errno: errno)
            }
        case let .gzip(file):
            let count = gzread(file, target, UInt32(min(free, Int(Int32.max))))
            if count < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "zlib error \(code)"
                throw ViewError.corruptCompressedFile(path: path, detail: message)
            }
            if count == 0 {
                // A truncated gzip member reads as end of data; clear it so --follow can retry later.
                gzclearerr(file)
            }
            return Int(count)
        }
    }
}
