/// The channels one kind of message is published on (`kraken_orderbook` and `kraken_orderbook:PAIR`,
/// …), each as its command up to the payload's length (`*3\r\n$7\r\nPUBLISH\r\n$<n>\r\n<channel>\r\n$`),
/// framed once when the sink is made. Each prefix sits in a slot of `slotBytes` of one buffer of its
/// own, read through pointers (an array of arrays cost a reference count per channel per message),
/// zero-padded to the slot's end: a command's prefix is then one fixed-size copy of its slot (a
/// `memmove` call per prefix cost ~20 instructions), as long as the slot is at most
/// `RedisCommands.fixedPrefixBytes`.
final class RedisChannels: @unchecked Sendable {
    /// How many channels.
    let count: Int
    /// The prefixes' lengths together.
    let prefixBytes: Int
    /// The size of each prefix's slot: the longest prefix, rounded up to 16 bytes.
    let slotBytes: Int
    private let bytes: UnsafeMutablePointer<UInt8>
    /// Each prefix's length.
    private let lengths: UnsafeMutablePointer<Int>

    convenience init(_ channels: [String]) {
        self.init(prefixes: channels.map(RedisCommands.prefix))
    }

    /// Commands up to their payload's length, as `RedisCommands.prefix(channel:)` frames them.
    init(prefixes: [[UInt8]]) {
        count = prefixes.count
        prefixBytes = prefixes.reduce(0) { $0 + $1.count }
        let longest = prefixes.map(\.count).max() ?? 0
        slotBytes = max(16, (longest + 15) / 16 * 16)
        // Padded so that a fixed-size copy of the last slot reads nothing past the buffer.
        let capacity = count * slotBytes + RedisCommands.fixedPrefixBytes
        bytes = .allocate(capacity: capacity)
        bytes.initialize(repeating: 0, count: capacity)
        lengths = .allocate(capacity: max(count, 1))
        for (index, prefix) in prefixes.enumerated() {
            lengths[index] = prefix.count
            (bytes + index * slotBytes).update(from: prefix, count: prefix.count)
        }
    }

    deinit {
        bytes.deallocate()
        lengths.deallocate()
    }

    /// Channel `index`'s slot (its prefix, then zeros up to `slotBytes`).
    @inline(__always)
    func slot(_ index: Int) -> UnsafePointer<UInt8> {
        UnsafePointer(bytes + index * slotBytes)
    }

    /// The length of channel `index`'s prefix.
    @inline(__always)
    func prefixLength(_ index: Int) -> Int { lengths[index] }

    /// Channel `index`'s command up to its payload's length.
    func prefix(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: slot(index), count: prefixLength(index))
    }
}
