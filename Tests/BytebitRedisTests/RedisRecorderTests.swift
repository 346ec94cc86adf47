import BytebitCore
@testable import BytebitRedis
import BytebitTestSupport
import Foundation
import Logging
import RedisTestSupport
import Testing

/// A `MarketRecorder` with a `RedisSink` beside its files: what it publishes is what the files
/// hold; when Redis is down the files are untouched, the ledger notes it and the status counts it.
@Suite struct RedisRecorderTests {
    private static let bids = [("0.031348", "0.03740000"), ("0.031347", "2.87288049"), ("0.031345", "8.57986833")]
    private static let asks = [("0.031357", "0.03740000"), ("0.031358", "2.87194815"), ("0.031361", "0.00767324")]

    private func steps(_ harness: RecorderHarness, updates: Int) -> [ScriptStep] {
        var book = ScriptedBook(symbol: "ETH/BTC", depth: 10, pricePrecision: 6, qtyPrecision: 8)
        let snapshot = book.snapshot(bids: Self.bids, asks: Self.asks)
        var steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8)
        for index in 0..<updates {
            steps.append(.frame(book.update(bids: [("0.031344", "1.\(100 + index)00000")])))
            if index % 10 == 9 { steps.append(.advance(microseconds: 200_000)) }
        }
        return steps
    }

    @Test func aSubscriberGetsEveryRowTheFilesHoldAsTheirJSON() throws {
        let server = try RedisTestServer()
        let subscriber = try RedisSubscriber(endpoint: server.endpoint(), channels: ["kraken_orderbook:ETH-BTC", "kraken_events"])
        let publisher = RedisPublisher(settings: RedisFixtures.settings(server.endpoint()), logger: Logger(label: "test"))
        #expect(RedisFixtures.eventually { publisher.state.isConnected })
        let harness = try RecorderHarness()
        harness.statusFile = harness.dataDirectory + "/status.json"
        let run = try harness.run([ScriptedConnection(steps(harness, updates: 40))],
                                  extraSinks: [RedisSink(pair: "ETH-BTC", publisher: publisher)])
        publisher.close()

        let rows = try harness.fileLines(.orderBook).dropFirst()
        #expect(rows.count == 41 && run.books.count == 41)
        let expected = run.books.map { String(decoding: LiveMessage.book(pair: "ETH-BTC", $0), as: UTF8.self) }
        #expect(subscriber.waitForMessages(timeout: .seconds(10)) { $0.count >= expected.count + run.events.count })
        #expect(subscriber.messages(on: "kraken_orderbook:ETH-BTC").map(\.payload) == expected)
        let events = subscriber.messages(on: "kraken_events").compactMap { message in
            FlatField.value("event", in: message.payload)
        }
        #expect(events == run.eventNames)
        let status = try CollectorStatus.read(from: harness.statusFile ?? "")
        // The last status is written as the recorder stops, before the publisher sent its last rows.
        #expect((1...(expected.count + run.events.count)).contains(status.redis?.sent ?? 0))
        #expect(status.redis?.dropped == 0)
        #expect(publisher.totals.sent == expected.count + run.events.count)
    }

    @Test func redisDownLeavesTheFilesWholeAndIsNotedInTheLedgerAndStatus() throws {
        let server = try RedisTestServer()
        server.kill()
        let publisher = RedisPublisher(settings: RedisFixtures.settings(server.endpoint()), logger: Logger(label: "test"))
        #expect(RedisFixtures.eventually { !publisher.state.isAccepting })
        let harness = try RecorderHarness()
        harness.statusFile = harness.dataDirectory + "/status.json"
        let run = try harness.run([ScriptedConnection(steps(harness, updates: 40))],
                                  extraSinks: [RedisSink(pair: "ETH-BTC", publisher: publisher)])
        publisher.close()

        #expect(try harness.fileLines(.orderBook).dropFirst().count == 41)
        let ledger = try harness.fileLines(.events).dropFirst()
        let paused = ledger.filter { $0.contains(",output_paused,") }
        #expect(paused.count == 1)
        #expect(paused.first?.contains("redis: cannot connect to 127.0.0.1:\(server.port)") == true)
        #expect(run.eventNames.contains("output_paused"))
        #expect(!ledger.contains { $0.contains(",output_resumed,") })
        let status = try CollectorStatus.read(from: harness.statusFile ?? "")
        #expect(status.redis?.connected == false)
        #expect(status.redis?.sent == 0)
        // Every book row, trade and ledger row but the pause note itself was dropped and counted.
        #expect(status.redis?.dropped == run.books.count + run.trades.count + run.events.count - 1)
    }
}

/// Reads one string field out of a flat JSON object's text (the test's own, independent parser).
enum FlatField {
    static func value(_ key: String, in text: String) -> String? {
        guard let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object[key] as? String
    }
}
