/// The channels one kind of message is published on (`kraken_orderbook` and `kraken_orderbook:PAIR`,
/// …), each as its command up to the payload's length (`*3\r\n$7\r\nPUBLISH\r\n$<n>\r\n<channel>\r\n$`),
/// framed once when the sink is made. The commands sit back to back in one buffer of its own, read
/// through pointers: an array of arrays cost a reference count per channel per message.
final class RedisChannels: @unchecked Sendable {
    /// How many channels.
    let count: Int
    /// The prefixes' lengths together.
    let prefixBytes: Int
    private let bytes: UnsafeMutablePointer<UInt8>
    /// Where each prefix starts in `bytes`, and where the last ends.
    private let starts: UnsafeMutablePointer<Int>

    convenience init(_ channels: [String]) {
        self.init(prefixes: channels.map(RedisCommands.prefix))
    }

    /// Commands up to their payload's length, as `RedisCommands.prefix(channel:)` frames them.
    init(prefixes: [[UInt8]]) {
        count = prefixes.count
        prefixBytes = prefixes.reduce(0) { $0 + $1.count }
        bytes = .allocate(capacity: max(prefixBytes, 1))
        starts = .allocate(capacity: count + 1)
        var offset = 0
        for (index, prefix) in prefixes.enumerated() {
            starts[index] = offset
            (bytes + offset).initialize(from: prefix, count: prefix.count)
            offset += prefix.count
        }
        starts[count] = offset
    }

    deinit {
        bytes.deallocate()
        starts.deallocate()
    }

    /// Channel `index`'s command up to its payload's length.
    @inline(__always)
    func prefix(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: bytes + starts[index], count: starts[index + 1] - starts[index])
    }
}
