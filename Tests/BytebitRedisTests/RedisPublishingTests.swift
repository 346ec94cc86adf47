import BytebitCore
@testable import BytebitRedis
import BytebitTestSupport
import Foundation
import Logging
import RedisTestSupport
import Testing

/// The sink and the publisher against a real redis-server: what a subscriber gets, on which
/// channels, in which order, and the counters.
@Suite struct RedisPublishingTests {
    @Test func everyRecordReachesItsChannelsInOrderAsTheLiveJSON() throws {
        let server = try RedisTestServer()
        let all = try RedisSubscriber(endpoint: server.endpoint(), channels: ["kraken_orderbook", "kraken_trades", "kraken_events"])
        let perPair = try RedisSubscriber(endpoint: server.endpoint(), channels: ["kraken_orderbook:BTC-USD", "kraken_trades:BTC-USD"])
        let publisher = RedisPublisher(settings: RedisFixtures.settings(server.endpoint()), logger: Logger(label: "test"))
        let sink = RedisSink(pair: "BTC-USD", publisher: publisher)
        #expect(RedisFixtures.eventually { publisher.state.isConnected })
        for index in 0..<300 {
            sink.record(book: RedisFixtures.book(index))
            if index % 3 == 0 { sink.record(trade: RedisFixtures.trade(index)) }
            if index % 100 == 0 { sink.record(event: RedisFixtures.event(index)) }
            if index % 50 == 0 { sink.flush() }
        }
        sink.close()
        publisher.close()

        let books = (0..<300).map { String(decoding: LiveMessage.book(pair: "BTC-USD", RedisFixtures.book($0)), as: UTF8.self) }
        let trades = stride(from: 0, to: 300, by: 3).map {
            String(decoding: LiveMessage.trade(pair: "BTC-USD", RedisFixtures.trade($0)), as: UTF8.self)
        }
        let events = [0, 100, 200].map { String(decoding: LiveMessage.event(pair: "BTC-USD", RedisFixtures.event($0)), as: UTF8.self) }
        #expect(all.waitForMessages(timeout: .seconds(10)) { $0.count >= 403 })
        #expect(perPair.waitForMessages(timeout: .seconds(10)) { $0.count >= 400 })
        #expect(all.messages(on: "kraken_orderbook").map(\.payload) == books)
        #expect(all.messages(on: "kraken_trades").map(\.payload) == trades)
        #expect(all.messages(on: "kraken_events").map(\.payload) == events)
        #expect(perPair.messages(on: "kraken_orderbook:BTC-USD").map(\.payload) == books)
        #expect(perPair.messages(on: "kraken_trades:BTC-USD").map(\.payload) == trades)
        #expect(publisher.totals.sent == 403)
        #expect(publisher.totals.dropped == 0)
        var status = CollectorStatus(market: "BTC-USD", pid: 1, state: "live", startedAt: RedisFixtures.book(0).timestamp,
                                     updatedAt: RedisFixtures.book(0).timestamp)
        sink.describe(into: &status)
        #expect(status.redis == OutputStatus(connected: false, sent: 403, dropped: 0))
    }

    /// A tick longer than its buffer goes on in new segments instead of growing it (a copy of
    /// every command staged so far), and every message still arrives, in order.
    @Test func aLongTickFillsNewSegmentsInsteadOfGrowingItsBuffer() throws {
        let server = try RedisTestServer()
        let subscriber = try RedisSubscriber(endpoint: server.endpoint(), channels: ["kraken_orderbook"])
        let publisher = RedisPublisher(settings: RedisFixtures.settings(server.endpoint()), logger: Logger(label: "test"))
        let sink = RedisSink(pair: "BTC-USD", publisher: publisher)
        #expect(RedisFixtures.eventually { publisher.state.isConnected })
        sink.record(book: RedisFixtures.book(0))
        sink.flush()  // a quiet tick: the next buffer is the smallest
        var grew = 0
        for index in 1...400 {
            sink.record(book: RedisFixtures.book(index))
            grew = max(grew, sink.stagedBufferGrowths)
        }
        #expect(grew == 0, "the buffer grew \(grew) times")
        sink.close()
        publisher.close()
        let books = (0...400).map { String(decoding: LiveMessage.book(pair: "BTC-USD", RedisFixtures.book($0)), as: UTF8.self) }
        #expect(subscriber.waitForMessages(timeout: .seconds(10)) { $0.count >= 401 })
        #expect(subscriber.messages(on: "kraken_orderbook").map(\.payload) == books)
    }

    @Test func candlesGoToTheKlineChannels() throws {
        let server = try RedisTestServer()
        let subscriber = try RedisSubscriber(endpoint: server.endpoint(), channels: ["kraken_klines", "kraken_klines:ETH-USD"])
        let publisher = RedisPublisher(settings: RedisFixtures.settings(server.endpoint()), logger: Logger(label: "test"))
        let sink = RedisSink(pair: "ETH-USD", publisher: publisher)
        #expect(RedisFixtures.eventually { publisher.state.isConnected })
        let candles = (0..<3).map { index in
            KlineRecord(
                interval: .oneMinute, intervalBegin: UTCTimestamp(microsecondsSince1970: 1_800_000_000_000_000 + Int64(index) * 60_000_000),
                open: ExactDecimal(units: 3000_10 + Int64(index), scale: 2), high: ExactDecimal(units: 3001_00, scale: 2),
                low: ExactDecimal(units: 2999_00, scale: 2), close: ExactDecimal(units: 3000_50, scale: 2),
                volume: WideDecimal(units: 150_000_000, scale: 8), vwap: WideDecimal(units: 3000_251_234, scale: 6),
                trades: 3 + index, complete: index != 1)
        }
        for candle in candles { sink.record(kline: candle) }
        sink.close()
        publisher.close()
        let expected = candles.map { String(decoding: LiveMessage.kline(pair: "ETH-USD", $0), as: UTF8.self) }
        #expect(subscriber.waitForMessages(timeout: .seconds(10)) { $0.count >= 6 })
        #expect(subscriber.messages(on: "kraken_klines").map(\.payload) == expected)
        #expect(subscriber.messages(on: "kraken_klines:ETH-USD").map(\.payload) == expected)
    }

    @Test func aDatabaseAndAnACLUserLogIn() throws {
        let server = try RedisTestServer(password: "admin-secret")
        try server.command(["ACL", "SETUSER", "feeder", "on"])
        try server.command(["ACL", "SETUSER", "feeder", ">feeder-secret", "+@all"])
        try server.command(["ACL", "SETUSER", "feeder", "allchannels"])
        var endpoint = server.endpoint(password: "feeder-secret", user: "feeder")
        endpoint.database = 3
        let connection = try RedisConnection.open(endpoint, timeout: .seconds(2))
        #expect(try connection.command(["ACL", "WHOAMI"]) == .bulk(Array("feeder".utf8)))
        #expect(throws: RedisError.self) {
            try RedisConnection.open(server.endpoint(password: "wrong", user: "feeder"), timeout: .seconds(2))
        }
    }
}
