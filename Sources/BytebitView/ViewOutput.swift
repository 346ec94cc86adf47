import BytebitCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `view` and `list` write: a byte buffer flushed to a file descriptor in large writes (stdout), or
/// kept whole for tests.
public final class ViewOutput {
    private let descriptor: Int32?
    /// Everything written so far when there is no descriptor; the unflushed part otherwise.
    public private(set) var bytes: [UInt8] = []
    /// Set when a write to the descriptor failed (e.g. the reader of a pipe went away): stop producing.
    public private(set) var isClosed = false
    private let flushThreshold = 256 * 1024

    /// Writes to `descriptor` (1 = stdout).
    public init(descriptor: Int32) {
        self.descriptor = descriptor
        bytes.reserveCapacity(flushThreshold + 4096)
    }

    /// Keeps the output in memory (`text`).
    public init() {
        descriptor = nil
    }

    /// The output kept in memory, as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    func append(_ line: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: line)
        flushIfFull()
    }

    /// Appends text (flushing to the descriptor when the buffer is large).
    public func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        flushIfFull()
    }

    func appendByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Buffer-level access for the fast paths (decimals and timestamps append their own text).
    func withBuffer(_ body: (inout [UInt8]) -> Void) {
        body(&bytes)
        flushIfFull()
    }

    func flushIfFull() {
        if bytes.count >= flushThreshold { flush() }
    }

    /// Writes out what is buffered (no-op for the in-memory output).
    public func flush() {
        guard let descriptor, !bytes.isEmpty else { return }
        var written = 0
        let total = bytes.count
        bytes.withUnsafeBytes { raw in
            while written < total, let base = raw.baseAddress {
                let count = write(descriptor, base + written, total - written)
                if count < 0, errno == EINTR { continue }
                if count <= 0 {
                    isClosed = true
                    return
                }
                written += count
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
