/// The bytes of one tick's commands: a buffer written through pointers, so a message's room is
/// not zero-filled before it is written (an array's `append` of zeros, then the copies, cost
/// ~0.3 instructions a byte). Written by the sink on the recorder's thread, then handed to the
/// publisher's thread with the `RedisCommands`, which gives it back to a sink once written (under
/// the publisher's lock), so it is used by one thread at a time.
final class RedisCommandBytes: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private(set) var capacity: Int
    /// How often the buffer grew (copying what it held): the sink hands a full buffer over instead.
    private(set) var growths = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for `extra` more bytes and returns where they go; `commit` says how many were written.
    @inline(__always)
    func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        if count + extra > capacity { grow(to: count + extra) }
        return base + count
    }

    @inline(__always)
    func commit(_ written: Int) {
        count += written
    }

    /// Empty again, keeping the buffer (commands given back to a sink: `RedisCommands.reset`).
    func clear() { count = 0 }

    var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    private func grow(to needed: Int) {
        growths += 1
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
