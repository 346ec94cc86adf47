import BytebitCore
@testable import BytebitRedis
import BytebitTestSupport
import Foundation
import Logging
import RedisTestSupport
import Testing

/// Redis away, stuck or refusing the password: messages are dropped and counted (never queued
/// without bound), one log line says so and one says it is back, every pair's ledger gets its
/// notes, and publishing resumes by itself.
@Suite struct RedisOutageTests {
    /// Records and flushes one round for every sink.
    private func round(_ sinks: [RedisSink], _ index: Int) {
        for sink in sinks {
            sink.record(book: RedisFixtures.book(index))
            sink.record(trade: RedisFixtures.trade(index))
            sink.flush()
        }
    }

    @Test func aKilledRedisIsDroppedCountedLoggedNotedAndResumedWithinFiveSeconds() throws {
        let server = try RedisTestServer()
        let log = LogCapture()
        let publisher = RedisPublisher(settings: RedisFixtures.settings(server.endpoint()), logger: log.logger())
        let sinks = [RedisSink(pair: "BTC-USD", publisher: publisher), RedisSink(pair: "ETH-USD", publisher: publisher)]
        #expect(RedisFixtures.eventually { publisher.state.isConnected })
        var index = 0
        round(sinks, index)
        #expect(RedisFixtures.eventually { publisher.totals.sent == 4 })

        server.kill()
        // The drop is seen at the next pipeline: keep recording until the publisher calls it down.
        #expect(RedisFixtures.eventually {
            index += 1
            round(sinks, index)
            return !publisher.state.isAccepting
        })
        for _ in 0..<50 {
            index += 1
            round(sinks, index)
        }
        let droppedWhileDown = publisher.totals.dropped
        #expect(droppedWhileDown >= 200)
        for sink in sinks {
            let notes = sink.takeLedgerNotes()
            #expect(notes.map(\.event) == [.outputPaused])
            #expect(notes.first?.detail.hasPrefix("redis: ") == true)
        }
        #expect(log.lines.filter { $0.message.contains("publishing stopped") }.count == 1)

        try server.start()
        let restartedAt = ContinuousClock.now
        let subscriber = try RedisSubscriber(endpoint: server.endpoint(), channels: ["kraken_trades"])
        #expect(RedisFixtures.eventually {
            index += 1
            round(sinks, index)
            return publisher.state.isConnected
        })
        #expect(ContinuousClock.now - restartedAt < .seconds(5))
        index += 1
        round(sinks, index)
        #expect(subscriber.waitForMessages(timeout: .seconds(5)) { !$0.isEmpty })

        let resumed = log.lines.filter { $0.message.contains("publishing resumed") }
        #expect(resumed.count == 1)
        #expect(resumed.first.flatMap { Int($0.metadata["dropped"] ?? "") } ?? 0 >= droppedWhileDown - 4)
        for sink in sinks {
            let notes = sink.takeLedgerNotes()
            #expect(notes.map(\.event) == [.outputResumed])
            var status = CollectorStatus(market: sink.pair, pid: 1, state: "live", startedAt: RedisFixtures.book(0).timestamp,
                                         updatedAt: RedisFixtures.book(0).timestamp)
            sink.describe(into: &status)
            #expect(status.redis?.connected == true)
            #expect((status.redis?.dropped ?? 0) >= 100)
            #expect(notes.first?.detail.contains("\(status.redis?.dropped ?? -1) messages of this pair dropped") == true)
        }
        publisher.close()
    }

    @Test func aWrongPasswordIsLoggedClearlyWithoutThePasswordAndRetried() throws {
        let secret = "not-the-password-7f3a"
        let server = try RedisTestServer(password: "the-password")
        let log = LogCapture()
        let publisher = RedisPublisher(settings: RedisFixtures.settings(server.endpoint(password: secret)), logger: log.logger())
        #expect(RedisFixtures.eventually { log.lines.contains { $0.message.contains("publishing stopped") } })
        let stopped = log.lines.first { $0.message.contains("publishing stopped") }
        #expect(stopped?.level == .warning)
        #expect(stopped?.metadata["error"]?.contains("authentication at 127.0.0.1:\(server.port) failed: WRONGPASS") == true)
        #expect(stopped?.metadata["redis"] == "redis://:***@127.0.0.1:\(server.port)/0")
        #expect(!publisher.state.isAccepting)

        // It keeps trying: once the server takes that password, publishing starts by itself.
        try server.command(["CONFIG", "SET", "requirepass", secret])
        #expect(RedisFixtures.eventually { publisher.state.isConnected })
        // The publisher logs the resumption just after it takes the new state (outside its lock).
        #expect(RedisFixtures.eventually { log.lines.contains { $0.message.contains("publishing resumed") } })
        publisher.close()
        #expect(log.lines.filter { $0.message.contains("publishing resumed") }.count == 1)
        for line in log.lines {
            #expect(!line.message.contains(secret) && !line.metadata.values.contains { $0.contains(secret) })
        }
    }

    @Test func aStuckRedisNeverHoldsTheRecorderAndItsQueueStaysBounded() throws {
        let server = try RedisTestServer()
        var settings = RedisFixtures.settings(server.endpoint())
        settings.ioTimeout = .seconds(5)
        settings.queueBytes = 64 * 1024
        let publisher = RedisPublisher(settings: settings, logger: Logger(label: "test"))
        let sink = RedisSink(pair: "BTC-USD", publisher: publisher)
        #expect(RedisFixtures.eventually { publisher.state.isConnected })

        server.pause()
        var slowest: Duration = .zero
        var largestQueue = 0
        let began = ContinuousClock.now
        var index = 0
        // For 2 s of recording the server answers nothing (the publisher's reads wait up to 5 s).
        while ContinuousClock.now - began < .seconds(2) {
            let start = ContinuousClock.now
            for _ in 0..<100 {
                index += 1
                sink.record(book: RedisFixtures.book(index))
            }
            sink.flush()
            slowest = max(slowest, ContinuousClock.now - start)
            largestQueue = max(largestQueue, publisher.condition.withLock { publisher.queuedBytes })
        }
        #expect(slowest < .milliseconds(500))
        #expect(largestQueue <= 64 * 1024)
        #expect(publisher.totals.dropped > 0)
        #expect(publisher.totals.sent + publisher.totals.dropped <= index)

        server.resume()
        #expect(RedisFixtures.eventually(.seconds(15)) {
            index += 1
            sink.record(book: RedisFixtures.book(index))
            sink.flush()
            return publisher.state.isConnected && publisher.totals.sent > 0
        })
        publisher.close()
    }

    @Test func rediss_isRefusedAsAConfigurationError() throws {
        let url = try #require(ServiceURL("rediss://:secret@cache.example:6380/0"))
        #expect(throws: RedisEndpointError.tlsUnsupported(url: "rediss://:***@cache.example:6380/0")) {
            try RedisEndpoint(url: url)
        }
        let plain = try RedisEndpoint(url: #require(ServiceURL("redis://feeder:pw@10.0.0.5/4")))
        #expect([plain.host, "\(plain.port)", plain.user, plain.password, "\(plain.database)"] == ["10.0.0.5", "6379", "feeder", "pw", "4"])
        #expect(plain.redacted == "redis://feeder:***@10.0.0.5/4")
        #expect(throws: RedisEndpointError.self) { try RedisEndpoint(url: #require(ServiceURL("redis://h/zero"))) }
    }
}
