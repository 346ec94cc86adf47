import BytebitTestSupport
import Foundation
import Testing

@testable import BytebitCollector
@testable import BytebitCore

/// Rows lost to the disk are loud: a warning a minute, the status file says so, and the start line
/// says where the data goes.
@Suite struct RecorderLoudnessTests {
    static func at(seconds: Int64) -> UTCTimestamp { UTCTimestamp(microsecondsSince1970: seconds * 1_000_000) }

    @Test func theLossWarningComesAtOnceThenAtMostOncePerMinute() {
        var warning = WriteLossWarning()
        // (losing rows?, second): at once when the loss begins, then once a minute; a new loss at once.
        let checks: [(Bool, Int64)] = [(false, 0), (true, 1), (true, 2), (true, 60), (true, 61), (true, 100),
                                       (false, 101), (true, 102)]
        var answers: [Bool] = []
        for (isLosing, second) in checks {
            answers.append(warning.isDue(isLosingRows: isLosing, now: Self.at(seconds: second)))
        }
        #expect(answers == [false, true, false, false, true, false, false, true])
    }

    @Test func aMarketLosingRowsIsNotLive() {
        let feed = FeedStatus(
            stateName: "live", reconnectCount: 0, checksumFailureCount: 0, lastMessageAt: nil, systemStatus: "online",
            malformedFrameCount: 0)
        var writer = RecordWriterCounters()
        #expect(MarketStatusSource.state(feed: feed, writer: writer, isStopping: false) == "live")
        writer.isLosingRows = true
        #expect(MarketStatusSource.state(feed: feed, writer: writer, isStopping: false) == "losing_rows")
        #expect(MarketStatusSource.state(feed: feed, writer: writer, isStopping: true) == "stopped")
    }

    @Test func theStatusFileCarriesTheLossAndTheConnectionTrouble() throws {
        let path = NSTemporaryDirectory() + "bytebit-status-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var feed = FeedStatus(
            stateName: "backing_off", reconnectCount: 3, checksumFailureCount: 1, lastMessageAt: nil,
            systemStatus: nil, malformedFrameCount: 0)
        feed.failedConnectionAttempts = 4
        feed.lastConnectionError = "cannot resolve ws.example"
        var writer = RecordWriterCounters()
        writer.rowsDropped = 17
        writer.lastError = "cannot create folder /x: Not a directory"
        writer.lastErrorAt = Self.at(seconds: 5)
        writer.isLosingRows = true
        var reporter = StatusReporter(
            path: path, source: MarketStatusSource(market: "ETH-BTC", startedAt: Self.at(seconds: 0)))
        reporter.write(feed: feed, writer: writer, now: Self.at(seconds: 6), isStopping: false)
        let status = try CollectorStatus.read(from: path)
        #expect(status.state == "losing_rows")
        #expect(status.rowsLost == 17)
        #expect(status.lastWriteError == writer.lastError)
        #expect(status.lastWriteErrorAt == writer.lastErrorAt)
        #expect(status.isLosingRows)
        #expect(status.failedConnectionAttempts == 4)
        #expect(status.lastConnectionError == "cannot resolve ws.example")
    }

    /// `bytebit status` shows a held market's last warning, so a ledger row's log line reads as the row.
    @Test func eachLedgerRowIsLoggedAsItReads() throws {
        let harness = try RecorderTickerAndOHLCTests.harness()
        harness.market.ohlcIntervals = []
        let capture = LogCapture()
        harness.logger = capture.logger()
        var book = RecorderBookRulesTests.ethBTCBook()
        let snapshot = book.snapshot(bids: RecorderBookRulesTests.bids, asks: RecorderBookRulesTests.asks)
        let steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8) + [
            .frame(KrakenFrameText.rejected(symbol: harness.symbol, error: "Currency pair not supported", reqID: 999)),
        ] + RecorderHarness.quiet(seconds: 1)
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(run.events.count > 3)
        for row in run.events {
            let line = capture.lines.first { $0.message == "\(row.event.name): \(row.detail)" }
            #expect(line?.metadata == [:], "\(row.event.name): \(row.detail)")
        }
        let warning = try #require(capture.lines.last { $0.level >= .warning })
        #expect(warning.message.hasPrefix("rejected: ticker ETH/BTC: Currency pair not supported"), "\(warning.message)")
    }

    @Test func theStartLineSaysWhereTheDataGoes() throws {
        let harness = try RecorderHarness()
        let capture = LogCapture()
        harness.logger = capture.logger()
        _ = try harness.run([ScriptedConnection([])])
        let start = try #require(capture.lines.first { $0.message == "collector started" })
        #expect(start.metadata["data_dir"] == harness.dataDirectory + "/ETH-BTC")
    }
}

/// The same rules through a whole recorder: a data folder that cannot be created, on the manual clock.
@Suite struct RecorderWriteLossTests {
    @Test func aDiskThatRefusesRowsWarnsOncePerMinuteAndShowsInTheStatus() throws {
        let harness = try RecorderHarness()
        let capture = LogCapture()
        harness.logger = capture.logger()
        harness.statusFile = NSTemporaryDirectory() + "bytebit-status-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: harness.statusFile ?? "") }
        try harness.blockDataDirectory()
        var book = RecorderBookRulesTests.ethBTCBook()
        let snapshot = book.snapshot(bids: RecorderBookRulesTests.bids, asks: RecorderBookRulesTests.asks)
        var statusWhileLosing: CollectorStatus?
        var steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8)
        // 150 s of refused writes: a warning at once, then at 60 s and 120 s — not one per failed write.
        for _ in 0..<150 {
            steps += [.frame(book.update(bids: [("0.031344", "1.00000000")])), .settleFiles]
            steps += RecorderHarness.quiet(seconds: 1)
        }
        steps += [
            .perform { statusWhileLosing = try? CollectorStatus.read(from: harness.statusFile ?? "") },
            .perform { try? harness.unblockDataDirectory() },
            .settleFiles,
        ] + RecorderHarness.quiet(seconds: 2)
        let run = try harness.run([ScriptedConnection(steps)])

        let warnings = capture.lines.filter { $0.level == .warning && $0.message.hasPrefix("rows are being lost") }
        #expect(warnings.count == 3)
        let status = try #require(statusWhileLosing)
        #expect(status.state == "losing_rows")
        #expect(status.isLosingRows)
        #expect(status.rowsLost > 150)
        #expect(status.lastWriteError != nil)
        #expect(run.fileCounters.isLosingRows == false)
        let events = try harness.fileLines(.events)
        #expect(events.contains { $0.contains(",write_failed,") })
    }
}
