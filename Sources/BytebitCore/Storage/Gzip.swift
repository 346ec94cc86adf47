import CZlib
import Foundation

/// gzip through zlib: one member per call, appended to an open file (concatenated members form a valid
/// gzip file, which the compressor uses to fold late rows into an already compressed day).
public enum Gzip {
    static let chunkSize = 1 << 20

    /// Compresses the bytes of `input` from `offset` to its end as one gzip member written to `output`.
    /// Returns false, having written a partial member, when `shouldStop` says so between chunks.
    static func compressMember(
        from input: Int32, inputPath: String, offset: Int, to output: Int32, outputPath: String,
        level: Int32, shouldStop: () -> Bool
    ) throws -> Bool {
        var stream = z_stream()
        // deflateInit2 is a macro Swift cannot import; 15 + 16 asks zlib for a gzip wrapper.
        let status = deflateInit2_(
            &stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw StorageError.compressionFailed(path: inputPath, detail: "deflateInit2 returned \(status)") }
        defer { deflateEnd(&stream) }
        var position = offset
        var outBuffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            if shouldStop() { return false }
            var chunk = try AppendOnlyFile.readFully(descriptor: input, path: inputPath, offset: position, count: chunkSize)
            position += chunk.count
            let flush = chunk.count < chunkSize ? Z_FINISH : Z_NO_FLUSH
            var result: Int32 = Z_OK
            try chunk.withUnsafeMutableBufferPointer { inBytes in
                stream.next_in = inBytes.baseAddress
                stream.avail_in = UInt32(inBytes.count)
                repeat {
                    let produced = outBuffer.withUnsafeMutableBufferPointer { outBytes -> Int in
                        stream.next_out = outBytes.baseAddress
                        stream.avail_out = UInt32(outBytes.count)
                        result = deflate(&stream, flush)
                        return outBytes.count - Int(stream.avail_out)
                    }
                    guard result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR else {
                        throw StorageError.compressionFailed(path: inputPath, detail: "deflate returned \(result)")
                    }
                    try writeAll(outBuffer[..<produced], to: output, path: outputPath)
                } while stream.avail_out == 0 || (flush == Z_FINISH && result != Z_STREAM_END)
            }
            if flush == Z_FINISH { return true }
        }
    }

    /// Copies all of `path`'s bytes to `output`.
    static func copy(path: String, to output: Int32, outputPath: String) throws {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw StorageError.cannotRead(path: path, errno: errno) }
        defer { close(input) }
        var position = 0
        while true {
            let chunk = try AppendOnlyFile.readFully(descriptor: input, path: path, offset: position, count: chunkSize)
            try writeAll(chunk[...], to: output, path: outputPath)
            position += chunk.count
            if chunk.count < chunkSize { return }
        }
    }

    static func writeAll(_ bytes: ArraySlice<UInt8>, to descriptor: Int32, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var written = 0
            while written < buffer.count {
                let count = write(descriptor, base + written, buffer.count - written)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { throw StorageError.cannotWrite(path: path, errno: count < 0 ? errno : EIO) }
                written += count
            }
        }
    }

    /// The last member's trailer of a gzip file: CRC-32 and length mod 2^32 of its uncompressed data.
    public static func trailer(path: String) throws -> (crc: UInt32, size: UInt32)? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StorageError.cannotRead(path: path, errno: errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw StorageError.cannotRead(path: path, errno: errno) }
        guard info.st_size >= 18 else { return nil }
        let bytes = try AppendOnlyFile.readFully(descriptor: descriptor, path: path, offset: Int(info.st_size) - 8, count: 8)
        guard bytes.count == 8 else { return nil }
        func littleEndian(_ range: Range<Int>) -> UInt32 {
            range.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[$1]) }
        }
        return (littleEndian(0..<4), littleEndian(4..<8))
    }

    /// CRC-32 and length mod 2^32 of the bytes of `path` from `offset` on (what a gzip trailer holds).
    public static func checksum(path: String, from offset: Int) throws -> (crc: UInt32, size: UInt32) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StorageError.cannotRead(path: path, errno: errno) }
        defer { close(descriptor) }
        var crc: UInt = crc32(0, nil, 0)
        var total = 0
        var position = offset
        while true {
            let chunk = try AppendOnlyFile.readFully(descriptor: descriptor, path: path, offset: position, count: chunkSize)
            chunk.withUnsafeBufferPointer { crc = crc32(crc, $0.baseAddress, UInt32($0.count)) }
            total += chunk.count
            position += chunk.count
            if chunk.count < chunkSize { break }
        }
        return (UInt32(truncatingIfNeeded: crc), UInt32(truncatingIfNeeded: total))
    }

    /// Decompresses a gzip file (all members) and hands the data over in chunks until `body` returns false.
    static func decompress(path: String, _ body: (ArraySlice<UInt8>) throws -> Bool) throws {
        guard let file = gzopen(path, "rb") else { throw StorageError.cannotRead(path: path, errno: errno) }
        defer { gzclose(file) }
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            guard count >= 0 else {
                throw StorageError.compressionFailed(path: path, detail: "corrupt gzip data")
            }
            if count == 0 { return }
            if try !body(buffer[..<Int(count)]) { return }
        }
    }

    /// The first `count` decompressed bytes (fewer if the file is shorter).
    static func prefix(path: String, count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try decompress(path: path) { chunk in
            bytes.append(contentsOf: chunk.prefix(count - bytes.count))
            return bytes.count < count
        }
        return bytes
    }
}
