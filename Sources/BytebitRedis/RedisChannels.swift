/// The channels one kind of message is published on (`kraken_orderbook` and `kraken_orderbook:PAIR`,
/// …), each as its command up to the payload's length (`*3\r\n$7\r\nPUBLISH\r\n$<n>\r\n<channel>\r\n$`),
/// framed once when the sink is made.
struct RedisChannels {
    /// Each channel's command up to its payload's length.
    let prefixes: [[UInt8]]

    init(_ channels: [String]) {
        prefixes = channels.map(RedisCommands.prefix)
    }
}
