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
        var commands = RedisCommands()
        commands.append(Array("first".utf8), prefixes: [RedisCommands.prefix(channel: "kraken_events")])
        commands.append(payload, prefixes: channels.map(RedisCommands.prefix))
        #expect(commands.bytes == expected(Array("first".utf8), channels: ["kraken_events"]) + expected(payload, channels: channels))
        #expect(commands.replies == [1, 2])
        #expect(commands.replyCount == 3)
        #expect(commands.messageCount == 2)
    }

    /// A message written in place (books, trades): the same commands as from a payload buffer,
    /// whatever its length's digits and however much of its room it used.
    @Test(arguments: [0, 1, 9, 10, 999, 1_000, 20_000])
    func aMessageWrittenInPlaceIsTheSameCommands(length: Int) {
        let channels = ["kraken_trades", "kraken_trades:BTC-USD"].map(RedisCommands.prefix)
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) }
        var viaBuffer = RedisCommands()
        viaBuffer.append(Array("x".utf8), prefixes: [RedisCommands.prefix(channel: "kraken_events")])
        viaBuffer.append(payload, prefixes: channels)
        var inPlace = RedisCommands()
        inPlace.append(Array("x".utf8), prefixes: [RedisCommands.prefix(channel: "kraken_events")])
        inPlace.append(prefixes: channels) { reserve in
            let target = reserve(length + 37)  // more room than it writes
            payload.withUnsafeBufferPointer { if let base = $0.baseAddress { target.update(from: base, count: length) } }
            return length
        }
        #expect(inPlace.bytes == viaBuffer.bytes)
        #expect(inPlace.replies == viaBuffer.replies && inPlace.replyCount == 3)
    }
}
