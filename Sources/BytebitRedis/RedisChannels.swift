/// The channels one kind of message is published on (`kraken_orderbook` and `kraken_orderbook:PAIR`,
/// …), each as its command up to the payload's length (`*3\r\n$7\r\nPUBLISH\r\n$<n>\r\n<channel>\r\n$`),
/// framed once when the sink is made.
struct RedisChannels {
    /// Each channel's command up to its payload's length.
    let prefixes: [[UInt8]]
    /// The commands' bytes besides the payloads, at most (the prefixes, 10 length digits, two CR LFs each).
    let overhead: Int

    init(_ channels: [String]) {
        prefixes = channels.map(RedisCommands.prefix)
        overhead = prefixes.reduce(0) { $0 + $1.count + 10 + 4 }
    }

    var count: Int { prefixes.count }

    /// The bytes of a message of `payloadBytes` on every channel, at most.
    @inline(__always)
    func commandBytes(payload payloadBytes: Int) -> Int { overhead + prefixes.count * payloadBytes }
}
