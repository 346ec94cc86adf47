import Foundation
import RedisTestSupport
import Testing

/// The built `collector` against the built `kraken-sim` with a real `redis-server`: a subscriber
/// gets every row the files hold, and a Redis outage costs only Redis messages.
@Suite struct RedisEndToEndTests {
    static let levels = 10

    @Test func aSubscriberReceivesEveryBookRowAndTradeTheFilesHoldInOrderPerPair() throws {
        let directory = try makeTemporaryDirectory("redis-all")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let server = try RedisTestServer(password: "e2e-secret")
        let subscriber = try RedisSubscriber(endpoint: server.endpoint(), channels: ["kraken_orderbook", "kraken_trades"])
        let perPair = try RedisSubscriber(endpoint: server.endpoint(), channels: ["kraken_orderbook:ETH-USD"])
        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "150"])
        let pairs = ["BTC-USD", "ETH-USD"]
        let config = try writeConfig(
            in: directory, url: simulator.url, defaults: "  depth: 10\n  levels: \(Self.levels)",
            markets: pairs.map { "  - \($0)" }.joined(separator: "\n"), extra: "redis:\n  url: \(server.url())")
        let collector = try ChildProcess(
            "collector", arguments: ["--config", config.path] + pairs.flatMap { ["--market", $0] }, logDirectory: directory)
        let recorded = pairs.map { RecordedMarket(dataDirectory: directory.appendingPathComponent("data"), pair: $0) }
        try waitUntil("200 book rows and 10 trades per pair", seconds: 60, pollEvery: 0.1) {
            guard collector.isRunning else { throw RecordingProblem("collector exited: \(collector.stderr.suffix(2000))") }
            return recorded.allSatisfy { $0.count("orderbook") >= 200 && $0.count("trades") >= 10 }
        }
        collector.signal(SIGTERM)
        #expect(try collector.waitForExit(seconds: 20) == 0)
        simulator.stop()

        let rows = try recorded.map { try $0.rows("orderbook") }
        let trades = try recorded.map { try $0.rows("trades") }
        let total = rows.map(\.count).reduce(0, +) + trades.map(\.count).reduce(0, +)
        #expect(subscriber.waitForMessages(timeout: .seconds(10)) { $0.count >= total })
        for (index, pair) in pairs.enumerated() {
            let books = try subscriber.messages(on: "kraken_orderbook").filter { RedisMessageRows.pair($0.payload) == pair }
                .map { try RedisMessageRows.bookCells($0.payload, levels: Self.levels) }
            #expect(books == rows[index].map { RedisMessageRows.withoutMid($0, levels: Self.levels) }, "\(pair) book rows")
            let published = try subscriber.messages(on: "kraken_trades").filter { RedisMessageRows.pair($0.payload) == pair }
                .map { try RedisMessageRows.tradeCells($0.payload) }
            #expect(published == trades[index], "\(pair) trades")
        }
        #expect(subscriber.messages.count == total)
        let ethBooks = try perPair.messages.map { try RedisMessageRows.bookCells($0.payload, levels: Self.levels) }
        #expect(ethBooks == rows[1].map { RedisMessageRows.withoutMid($0, levels: Self.levels) })
        #expect(!collector.stderr.contains("e2e-secret"))
        passed = true
    }

    @Test func redisKilledForTenSecondsCostsOnlyRedisMessagesAndPublishingResumesWithinFiveSeconds() throws {
        let directory = try makeTemporaryDirectory("redis-outage")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let server = try RedisTestServer()
        let subscriber = try RedisSubscriber(endpoint: server.endpoint(), channels: ["kraken_orderbook"])
        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "100"])
        let config = try writeConfig(
            in: directory, url: simulator.url, defaults: "  depth: 10\n  levels: \(Self.levels)", markets: "  - BTC-USD",
            extra: "redis:\n  url: \(server.url())")
        let statusFile = directory.appendingPathComponent("BTC-USD.json")
        let collector = try CollectorProcess(config: config, pair: "BTC-USD", in: directory,
                                             extraArguments: ["--status-file", statusFile.path])
        try collector.waitForRows(orderbook: 100, seconds: 60)
        #expect(subscriber.waitForMessages(timeout: .seconds(10)) { !$0.isEmpty })

        server.kill()
        let rowsAtKill = collector.market.count("orderbook")
        // Redis stays away for 10 s while recording goes on.
        let killedAt = ContinuousClock.now
        try waitUntil("10 s of recording without Redis", seconds: 30, pollEvery: 0.1) {
            guard collector.child.isRunning else { throw RecordingProblem("collector exited: \(collector.child.stderr)") }
            return ContinuousClock.now - killedAt >= .seconds(10)
        }
        #expect(collector.market.count("orderbook") > rowsAtKill + 100, "recording went on")
        try server.start()
        let restartedAt = ContinuousClock.now
        let before = subscriber.messages.count
        #expect(subscriber.waitForMessages(timeout: .seconds(10)) { $0.count > before })
        let resumedAfter = try #require(subscriber.messages.dropFirst(before).first).at - restartedAt
        #expect(resumedAfter < .seconds(5), "publishing resumed \(resumedAfter) after Redis came back")
        try collector.waitForRows(orderbook: collector.market.count("orderbook") + 50, seconds: 30)
        #expect(try collector.stop() == 0)
        simulator.stop()

        // The files: every book message from the first recorded to the last, no gap in the ledger.
        let rows = try collector.market.rows("orderbook")
        let truth = try simulator.bookTruth()
        let missing = RecordingChecks.missingStates(
            rows: rows, truth: truth, symbol: "BTC/USD", depth: 10, from: rows[0][0], to: rows[rows.count - 1][0])
        #expect(missing.isEmpty, "book messages not recorded: \(missing.prefix(5))")
        let events = try collector.market.events()
        let gapOpening: Set = ["checksum_mismatch", "disconnected", "stale", "maintenance", "write_failed"]
        #expect(!events.contains { gapOpening.contains($0.name) }, "\(events.map(\.name))")
        let paused = events.filter { $0.name == "output_paused" }
        let resumed = events.filter { $0.name == "output_resumed" }
        #expect(paused.count == 1 && resumed.count == 1, "\(events.map(\.name))")
        #expect(paused.first?.detail.hasPrefix("redis: ") == true)
        #expect(resumed.first?.detail.contains(" messages of this pair dropped") == true)

        // The log: one line when publishing stopped, one when it resumed, with the count dropped.
        let log = collector.child.stderr
        let stoppedLines = log.split(separator: "\n").filter { $0.contains("redis: publishing stopped") }
        let resumedLines = log.split(separator: "\n").filter { $0.contains("redis: publishing resumed") }
        #expect(stoppedLines.count == 1 && resumedLines.count == 1, "\(log.suffix(3000))")
        let status = try JSONSerialization.jsonObject(with: Data(contentsOf: statusFile)) as? [String: Any]
        let redis = try #require(status?["redis"] as? [String: Any])
        let dropped = try #require(redis["dropped"] as? Int)
        #expect(dropped > 100)
        let loggedDropped = resumedLines.first.flatMap { line in
            line.split(separator: " ").first { $0.hasPrefix("dropped=") }.flatMap { Int($0.dropFirst("dropped=".count)) }
        }
        #expect(loggedDropped.map { $0 > 100 && $0 <= dropped } == true, "\(resumedLines)")
        #expect((redis["sent"] as? Int ?? 0) + dropped >= rows.count)

        // After the resumption the subscriber got an unbroken run of the file's rows, up to the last.
        let after = try subscriber.messages.dropFirst(before).map { try RedisMessageRows.bookCells($0.payload, levels: Self.levels) }
        let expectedTail = rows.suffix(after.count).map { RedisMessageRows.withoutMid($0, levels: Self.levels) }
        #expect(after == Array(expectedTail))
        passed = true
    }
}

/// A Redis that stops answering (SIGSTOP) holds neither the recorder nor the files.
@Suite struct RedisStuckEndToEndTests {
    @Test func aStuckRedisDoesNotSlowTheRecording() throws {
        let directory = try makeTemporaryDirectory("redis-stuck")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let server = try RedisTestServer()
        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "200"])
        let config = try writeConfig(
            in: directory, url: simulator.url, defaults: "  depth: 10\n  levels: 10", markets: "  - BTC-USD",
            extra: "redis:\n  url: \(server.url())")
        let collector = try CollectorProcess(config: config, pair: "BTC-USD", in: directory)
        try collector.waitForRows(orderbook: 100, seconds: 60)
        server.pause()
        let pausedAt = ContinuousClock.now
        let rowsAtPause = collector.market.count("orderbook")
        try waitUntil("5 s of recording with Redis stuck", seconds: 30, pollEvery: 0.1) {
            guard collector.child.isRunning else { throw RecordingProblem("collector exited: \(collector.child.stderr)") }
            return ContinuousClock.now - pausedAt >= .seconds(5)
        }
        // At 200 messages a second, 5 s hold about 1000 rows: a held recorder would have far fewer.
        #expect(collector.market.count("orderbook") - rowsAtPause > 500)
        server.resume()
        #expect(try collector.stop() == 0)
        simulator.stop()

        let rows = try collector.market.rows("orderbook")
        let missing = RecordingChecks.missingStates(
            rows: rows, truth: try simulator.bookTruth(), symbol: "BTC/USD", depth: 10, from: rows[0][0],
            to: rows[rows.count - 1][0])
        #expect(missing.isEmpty, "book messages not recorded: \(missing.prefix(5))")
        #expect(collector.child.stderr.contains("redis: publishing stopped"))
        passed = true
    }
}
