import BytebitCore
@testable import BytebitRedis
import BytebitTestSupport
import CHiredis
import Foundation
import Logging
import RedisTestSupport
import Testing

/// A message on two channels is stored once (the second command's payload is a piece pointing at
/// the first one's), and written commands go back to the sinks, within bounds.
@Suite struct RedisCommandReuseTests {
    private func payload(_ length: Int) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) }
    }

    private func expected(_ payload: [UInt8], channels: [String]) -> [UInt8] {
        channels.flatMap { channel in
            Array("*3\r\n$7\r\nPUBLISH\r\n$\(channel.utf8.count)\r\n\(channel)\r\n$\(payload.count)\r\n".utf8) + payload
                + Array("\r\n".utf8)
        }
    }

    private static let bookChannels = ["kraken_orderbook", "kraken_orderbook:BTC-USD"]

    /// The wire has the payload once per channel, the segment once: what `sendmsg` sends is
    /// exactly the commands, and the stored bytes are one payload less.
    @Test(arguments: [0, 7, 10, 999, 20_000, 999_999, 1_000_000, 1_200_000])
    func aMessageOnTwoChannelsIsStoredOnce(length: Int) {
        let message = payload(length)
        let commands = RedisCommands()
        commands.append(Array("e".utf8), prefixes: [RedisCommands.prefix(channel: "kraken_events")])
        commands.append(message, prefixes: Self.bookChannels.map(RedisCommands.prefix))
        let wire = expected(Array("e".utf8), channels: ["kraken_events"]) + expected(message, channels: Self.bookChannels)
        #expect(commands.bytes == wire)
        #expect(commands.byteCount == wire.count)
        // A payload of a megabyte or more is written out in full (its length does not fit a word).
        #expect(commands.storedBytes == wire.count - (length < 1_000_000 ? length : 0))
    }

    /// Channels whose prefixes are longer than a fixed-size copy (a long pair name) are framed
    /// the same.
    @Test func longChannelNamesAreFramedTheSame() {
        let channels = ["kraken_orderbook", "kraken_orderbook:" + String(repeating: "X", count: 80)]
        let commands = RedisCommands()
        for length in [1, 50, 3_000] { commands.append(payload(length), prefixes: channels.map(RedisCommands.prefix)) }
        #expect(commands.bytes == [1, 50, 3_000].flatMap { expected(payload($0), channels: channels) })
    }

    /// `reset` empties the commands and keeps the largest segment: written again, they are
    /// exactly the new commands.
    @Test func resetCommandsKeepTheirLargestSegmentAndFrameTheSameBytes() {
        let commands = RedisCommands(reservingBytes: 64, messages: 0)
        for length in [10, 300, 5_000, 40] { commands.append(payload(length), prefixes: Self.bookChannels.map(RedisCommands.prefix)) }
        #expect(commands.segments.count > 1)
        let largest = commands.segments.map(\.capacity).max() ?? 0
        commands.reset()
        #expect(commands.messageCount == 0 && commands.replyCount == 0 && commands.byteCount == 0)
        #expect(commands.bytes.isEmpty)
        #expect(commands.segments.count == 1 && commands.capacity == largest)
        commands.append(payload(77), prefixes: Self.bookChannels.map(RedisCommands.prefix))
        commands.seal()
        #expect(commands.bytes == expected(payload(77), channels: Self.bookChannels))
        #expect(commands.replies == [2])
    }

    /// Commands made for the spares: `count` of them with one message, in segments of `bytes`.
    private func written(_ count: Int, bytes: Int, source: Int) -> [RedisPublisher.Chunk] {
        (0..<count).map { _ in
            let commands = RedisCommands(reservingBytes: bytes, messages: 1)
            commands.append(payload(20), prefixes: Self.bookChannels.map(RedisCommands.prefix))
            commands.seal()
            return RedisPublisher.Chunk(source: source, commands: commands)
        }
    }

    /// The publisher keeps written commands for the sinks' next ticks, at most `spareLimit` of
    /// them and `spareBytesLimit` of segments; an offer takes one back, empty.
    @Test func theSparesStayBoundedAndComeBackEmpty() throws {
        var settings = RedisFixtures.settings(RedisEndpoint(host: "127.0.0.1", port: 1))
        settings.queueBytes = 1 << 20
        let publisher = RedisPublisher(settings: settings, logger: Logger(label: "test"))
        defer { publisher.close(timeout: .milliseconds(100)) }
        let source = publisher.registerSource()
        var chunks = written(50, bytes: 16 * 1024, source: source)
        publisher.recycle(&chunks)
        #expect(chunks.isEmpty)
        #expect(publisher.spareCounts.count == publisher.spareLimit)
        var large = written(3, bytes: 200 * 1024, source: source)
        publisher.recycle(&large)
        #expect(publisher.spareCounts.count <= publisher.spareLimit)
        #expect(publisher.spareCounts.bytes <= publisher.spareBytesLimit)

        let offered = RedisCommands()
        offered.append(payload(5), prefixes: Self.bookChannels.map(RedisCommands.prefix))
        offered.seal()
        let before = publisher.spareCounts.count
        let spare = try #require(publisher.offer(offered, alreadyDropped: 0, source: source).spare)
        #expect(publisher.spareCounts.count == before - 1)
        #expect(spare.messageCount == 0 && spare.bytes.isEmpty && spare.capacity >= 16 * 1024)
    }

    /// Against a real server: a sink's next ticks are written into commands it offered before,
    /// and every message still arrives exactly, in order.
    @Test func aSinkWritesItsNextTicksIntoCommandsItOfferedBefore() throws {
        let server = try RedisTestServer()
        let subscriber = try RedisSubscriber(endpoint: server.endpoint(), channels: ["kraken_orderbook:BTC-USD"])
        let publisher = RedisPublisher(settings: RedisFixtures.settings(server.endpoint()), logger: Logger(label: "test"))
        let sink = RedisSink(pair: "BTC-USD", publisher: publisher)
        #expect(RedisFixtures.eventually { publisher.state.isConnected })
        var offered: Set<ObjectIdentifier> = []
        var reused = 0
        for tick in 0..<20 {
            if offered.contains(sink.stagedSegment) { reused += 1 }
            offered.insert(sink.stagedSegment)
            for index in 0..<10 { sink.record(book: RedisFixtures.book(tick * 10 + index)) }
            sink.flush()
            // The tick is written, and back among the spares, before the next.
            #expect(RedisFixtures.eventually { publisher.totals.sent == (tick + 1) * 10 && publisher.spareCounts.count > 0 })
        }
        sink.close()
        publisher.close()
        #expect(reused >= 15, "reused \(reused) of 20 ticks' buffers")
        let books = (0..<200).map { String(decoding: LiveMessage.book(pair: "BTC-USD", RedisFixtures.book($0)), as: UTF8.self) }
        #expect(subscriber.waitForMessages(timeout: .seconds(10)) { $0.count >= 200 })
        #expect(subscriber.messages(on: "kraken_orderbook:BTC-USD").map(\.payload) == books)
    }

    /// More pieces than one `sendmsg` takes (IOV_MAX, so several calls, each starting where the
    /// last one ended), through a send buffer of a few kilobytes (the writes wait for the server
    /// again and again): the server reads every command whole, in order.
    @Test func manyPiecesThroughASmallSendBufferArriveWhole() throws {
        let server = try RedisTestServer()
        let subscriber = try RedisSubscriber(endpoint: server.endpoint(), channels: ["kraken_orderbook:BTC-USD"])
        let connection = try RedisConnection.open(server.endpoint(), timeout: .seconds(5))
        #expect(connection.shrinkSendBuffer(to: 4096))
        let commands = RedisCommands()
        let messages = (0..<3_000).map { index in Array("{\"n\":\(index),\"pad\":\"\(String(repeating: "x", count: index % 300))\"}".utf8) }
        for message in messages { commands.append(message, prefixes: Self.bookChannels.map(RedisCommands.prefix)) }
        commands.seal()
        #expect(commands.pieces.pieceCount > 1024)
        try connection.write(pieces: commands.pieces.pieces, count: commands.pieces.pieceCount)
        var acks: [UInt8] = []
        let (read, refusals, _, failure) = connection.readAcks(commands.replyCount, into: &acks)
        #expect(read == 6_000 && refusals == 0 && failure == nil)
        #expect(subscriber.waitForMessages(timeout: .seconds(10)) { $0.count >= 3_000 })
        #expect(subscriber.messages(on: "kraken_orderbook:BTC-USD").map(\.payload) == messages.map { String(decoding: $0, as: UTF8.self) })
    }
}

/// A command's length is its digits and CR LF as the bytes of one word.
@Suite struct RedisLengthWordTests {
    @Test(arguments: [0, 1, 9, 10, 11, 99, 100, 101, 999, 1_000, 4_096, 65_535, 99_999, 100_000, 999_999])
    func theWordIsTheDigitsAndALineEnd(length: Int) throws {
        let (word, count) = try #require(RedisCommands.lengthWord(length))
        let bytes = withUnsafeBytes(of: word.littleEndian) { Array($0.prefix(count)) }
        #expect(bytes == Array("\(length)\r\n".utf8))
        #expect(withUnsafeBytes(of: word.littleEndian) { $0.dropFirst(count).allSatisfy { $0 == 0 } })
    }

    @Test func aMegabyteOrMoreHasNoWord() {
        #expect(RedisCommands.lengthWord(1_000_000) == nil)
        #expect(RedisCommands.lengthWord(-1) == nil)
    }
}
