@testable import BytebitRedis
import Testing

/// The sink frames `PUBLISH` commands itself (RESP), each message once per channel: the bytes
/// must be exactly what Redis reads, whatever the payload's length.
@Suite struct RedisCommandsTests {
    private func expected(_ payload: [UInt8], channels: [String]) -> [UInt8] {
        channels.flatMap { channel in
            Array("*3\r\n$7\r\nPUBLISH\r\n$\(channel.utf8.count)\r\n\(channel)\r\n$\(payload.count)\r\n".utf8) + payload
                + Array("\r\n".utf8)
        }
    }

    @Test(arguments: [0, 1, 9, 10, 999, 8_000, 20_000])
    func aMessageIsOnePublishPerChannel(length: Int) {
        let channels = ["kraken_orderbook", "kraken_orderbook:BTC-USD"]
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) }
        let commands = RedisCommands()
        commands.append(Array("first".utf8), prefixes: [RedisCommands.prefix(channel: "kraken_events")])
        commands.append(payload, prefixes: channels.map(RedisCommands.prefix))
        #expect(commands.bytes == expected(Array("first".utf8), channels: ["kraken_events"]) + expected(payload, channels: channels))
        #expect(commands.replies == [1, 2])
        #expect(commands.replyCount == 3)
        #expect(commands.messageCount == 2)
    }

    /// A message given as memory (a market's shared message): the same commands as from an array.
    @Test(arguments: [0, 1, 9, 10, 999, 1_000, 20_000])
    func aMessageFromMemoryIsTheSameCommands(length: Int) {
        let channels = ["kraken_trades", "kraken_trades:BTC-USD"].map(RedisCommands.prefix)
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) }
        let viaArray = RedisCommands()
        viaArray.append(Array("x".utf8), prefixes: [RedisCommands.prefix(channel: "kraken_events")])
        viaArray.append(payload, prefixes: channels)
        let viaMemory = RedisCommands()
        viaMemory.append(Array("x".utf8), prefixes: [RedisCommands.prefix(channel: "kraken_events")])
        payload.withUnsafeBufferPointer { viaMemory.append($0, prefixes: channels) }
        #expect(viaMemory.bytes == viaArray.bytes)
        #expect(viaMemory.bytes == expected(Array("x".utf8), channels: ["kraken_events"])
            + expected(payload, channels: ["kraken_trades", "kraken_trades:BTC-USD"]))
        #expect(viaMemory.replies == viaArray.replies && viaMemory.replyCount == 3)
    }

    /// More commands than the buffer holds go on in new segments, in order, none of them grown
    /// (a message larger than a new segment gets one its size).
    @Test func aFullBufferGoesOnInANewSegment() {
        let channels = ["kraken_orderbook", "kraken_orderbook:BTC-USD"]
        let commands = RedisCommands(reservingBytes: 64, messages: 0)
        var expectedBytes: [UInt8] = []
        for length in [10, 30, 5, 300, 2_000, 1, 9_000] {
            let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) }
            commands.append(payload, prefixes: channels.map(RedisCommands.prefix))
            expectedBytes += expected(payload, channels: channels)
        }
        #expect(commands.bytes == expectedBytes)
        #expect(commands.byteCount == expectedBytes.count)
        #expect(commands.segments.count > 1)
        #expect(commands.growths == 0)
        #expect(commands.messageCount == 7 && commands.replyCount == 14)
    }
}
