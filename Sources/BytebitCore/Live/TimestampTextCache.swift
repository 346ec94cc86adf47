/// UTC timestamps as `UTCTimestamp.writeText` writes them (`2026-11-21T13:00:00.123456Z`), with the
/// text up to the second kept from the last one: a trade's two times, and the next trades', mostly
/// fall in one second, so only the six digits of the microseconds are written (~50 instructions
/// instead of ~480 for the calendar). The text is `UTCTimestamp`'s own; only its fixed layout is
/// relied on (20 bytes to the second, six digits, `Z`).
struct TimestampTextCache {
    /// The whole second (floor of the microseconds) the kept text is of.
    private var second = Int64.min
    /// The kept text's first 20 bytes, as words.
    private var head: (UInt64, UInt64, UInt32) = (0, 0, 0)

    /// Writes `timestamp`'s text at `start` (room for `UTCTimestamp.textLength` bytes) and returns its length.
    @inline(__always)
    mutating func write(_ timestamp: UTCTimestamp, to start: UnsafeMutablePointer<UInt8>) -> Int {
        let micros = timestamp.microseconds
        var second = micros / 1_000_000
        if micros - second * 1_000_000 < 0 { second -= 1 }
        if second != self.second { keep(timestamp, second: second) }
        let raw = UnsafeMutableRawPointer(start)
        raw.storeBytes(of: head.0, as: UInt64.self)
        raw.storeBytes(of: head.1, toByteOffset: 8, as: UInt64.self)
        raw.storeBytes(of: head.2, toByteOffset: 16, as: UInt32.self)
        var fraction = micros - second * 1_000_000
        for position in stride(from: 25, through: 20, by: -1) {
            start[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction % 10)
            fraction /= 10
        }
        start[26] = UInt8(ascii: "Z")
        return UTCTimestamp.textLength
    }

    private mutating func keep(_ timestamp: UTCTimestamp, second: Int64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { text in
            let base = text.baseAddress.unsafelyUnwrapped
            _ = timestamp.writeText(to: base)
            let raw = UnsafeRawPointer(base)
            head = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                    raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        }
        self.second = second
    }
}
