import BytebitCore
import Foundation
import KrakenSim
import Logging
import Testing

/// The truth files a collector's output is compared with.
@Suite struct TruthFilesTests {
    @Test func linesMatchTheFramesSent() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("kraken-sim-truth-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = ManualClock(SimHarness.realStart)
        let output = RecordingOutput()
        var logger = Logger(label: "kraken-sim-tests")
        logger.logLevel = .critical
        let exchange = try KrakenExchange(
            options: SimOptions(truthDirectory: directory), output: output, clock: clock, logger: logger)
        let id = SimConnectionID(1)
        exchange.connectionOpened(id)
        exchange.received(
            #"{"method":"subscribe","params":{"channel":"book","symbol":["ETH/BTC"],"depth":10}}"#, from: id)
        exchange.received(
            #"{"method":"subscribe","params":{"channel":"trade","symbol":["ETH/BTC"],"snapshot":true}}"#, from: id)
        for _ in 0..<100 {
            clock.advance(microseconds: 10_000)
            exchange.tick(now: clock.now())
        }
        let bookLines = try String(contentsOfFile: directory + "/book-truth.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try RawJSON.parse(String($0)) }
        let tradeLines = try String(contentsOfFile: directory + "/trade-truth.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try RawJSON.parse(String($0)) }
        let books = try channelFrames(output.frames(to: id), channel: "book")
        let trades = try channelFrames(output.frames(to: id), channel: "trade").flatMap { $0["data"]?.array ?? [] }
        #expect(bookLines.count == books.count)
        #expect(tradeLines.count == trades.count)
        #expect(tradeLines.count > 50)

        var book = ReferenceBook(depth: 10)
        for (line, frame) in zip(bookLines, books) {
            let data = try #require(frame["data"]?.array?.first)
            book.apply(data, isSnapshot: frame["type"]?.string == "snapshot")
            #expect(line.keys == ["symbol", "depth", "timestamp", "checksum", "bids", "asks"])
            #expect(line["symbol"]?.string == "ETH/BTC")
            #expect(line["depth"]?.number == "10")
            #expect(line["timestamp"]?.string == data["timestamp"]?.string)
            #expect(line["checksum"]?.number == data["checksum"]?.number)
            let bids = (line["bids"]?.array ?? []).map { ($0.array ?? []).compactMap(\.string).joined(separator: " ") }
            let asks = (line["asks"]?.array ?? []).map { ($0.array ?? []).compactMap(\.string).joined(separator: " ") }
            #expect(bids == book.bidLevels.map { "\($0.price) \($0.qty)" })
            #expect(asks == book.askLevels.map { "\($0.price) \($0.qty)" })
        }
        for (line, trade) in zip(tradeLines, trades) {
            #expect(line.keys == ["symbol", "trade_id", "side", "price", "qty", "ord_type", "timestamp"])
            #expect(line["trade_id"]?.number == trade["trade_id"]?.number)
            #expect(line["price"]?.string == trade["price"]?.number)
            #expect(line["qty"]?.string == trade["qty"]?.number)
            #expect(line["side"]?.string == trade["side"]?.string)
            #expect(line["ord_type"]?.string == trade["ord_type"]?.string)
            #expect(line["timestamp"]?.string == trade["timestamp"]?.string)
        }
    }

    @Test func unwritableFolderIsATruthFileError() throws {
        #expect(throws: SimError.self) {
            try SimTruthFiles(directory: "/proc/kraken-sim-cannot-be-here")
        }
    }
}
