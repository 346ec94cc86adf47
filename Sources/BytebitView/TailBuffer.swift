import BytebitCore

/// The last N lines seen, copied (for `--tail`): memory is N rows whatever the file size.
struct TailBuffer {
    private var storage: [[UInt8]] = []
    private var next = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Lines kept so far (at most `capacity`).
    var count: Int { storage.count }

    mutating func append(_ line: UnsafeBufferPointer<UInt8>) {
        guard capacity > 0 else { return }
        if storage.count < capacity {
            storage.append(Array(line))
        } else {
            storage[next] = Array(line)
            next = (next + 1) % capacity
        }
    }

    /// The kept lines, oldest first.
    var lines: [[UInt8]] { Array(storage[next...] + storage[..<next]) }
}
