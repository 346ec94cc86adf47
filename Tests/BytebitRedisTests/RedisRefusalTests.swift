import BytebitCore
@testable import BytebitRedis
import BytebitTestSupport
import Foundation
import Logging
import RedisTestSupport
import Testing

/// A `PUBLISH` the server refuses (here an ACL user without one of the channels) costs its message
/// alone: a message counts as sent only when every one of its channels took it; the refused ones
/// are counted as dropped and logged with Redis' reply, and the connection stays up. The replies
/// are read without hiredis' reply objects (`bb_redis_read_acks`), so this also proves that reader
/// tells a refusal from a taken command.
@Suite struct RedisRefusalTests {
    @Test func aRefusedPublishDropsItsMessageOnlyAndIsLogged() throws {
        let server = try RedisTestServer()
        try server.command([
            "ACL", "SETUSER", "no-pair-books", "on", ">feeder-secret", "+@all", "resetchannels",
            "&kraken_orderbook", "&kraken_trades", "&kraken_trades:BTC-USD",
        ])
        let subscriber = try RedisSubscriber(endpoint: server.endpoint(), channels: ["kraken_orderbook", "kraken_trades"])
        let log = LogCapture()
        let publisher = RedisPublisher(
            settings: RedisFixtures.settings(server.endpoint(password: "feeder-secret", user: "no-pair-books")),
            logger: log.logger())
        let sink = RedisSink(pair: "BTC-USD", publisher: publisher)
        #expect(RedisFixtures.eventually { publisher.state.isConnected })
        for index in 0..<20 {
            sink.record(book: RedisFixtures.book(index))
            sink.record(trade: RedisFixtures.trade(index))
        }
        sink.flush()
        #expect(RedisFixtures.eventually { publisher.totals.sent + publisher.totals.dropped == 40 })
        // Every trade went out on both its channels; every book was refused on kraken_orderbook:BTC-USD.
        #expect(publisher.totals.sent == 20)
        #expect(publisher.totals.dropped == 20)
        #expect(publisher.state.isConnected, "a refusal is the server's answer, not a broken connection")
        let trades = (0..<20).map { String(decoding: LiveMessage.trade(pair: "BTC-USD", RedisFixtures.trade($0)), as: UTF8.self) }
        #expect(subscriber.waitForMessages(timeout: .seconds(10)) { $0.count >= 40 })
        #expect(subscriber.messages(on: "kraken_trades").map(\.payload) == trades)
        // The channel it may publish on did take the books: the drop is the message's, not the channel's.
        #expect(subscriber.messages(on: "kraken_orderbook").count == 20)
        let refusals = log.lines.filter { $0.message.hasPrefix("redis: PUBLISH refused") }
        #expect(!refusals.isEmpty)
        #expect(refusals.allSatisfy { $0.metadata["reply"]?.hasPrefix("NOPERM") == true })
        #expect(refusals.compactMap { Int($0.metadata["refused"] ?? "") }.reduce(0, +) == 20)
        sink.close()
        publisher.close()
    }
}
