import Foundation
import Testing

@testable import BytebitCollector
@testable import BytebitCore

/// How often a market alone on its collector rewrites its status file: every second while rows
/// come in, within a second of a change, and every 5 s while quiet (a group's one file:
/// `GroupStatusFileTests`).
@Suite struct StatusCadenceTests {
    static let start: Int64 = 1_787_757_360_000_000
    static let feed = FeedStatus(
        stateName: "live", reconnectCount: 0, checksumFailureCount: 0, lastMessageAt: nil, systemStatus: "online",
        malformedFrameCount: 0)

    static func reporter(_ path: String) -> StatusReporter {
        StatusReporter(
            path: path, source: MarketStatusSource(market: "ETH-BTC", startedAt: UTCTimestamp(microsecondsSince1970: start)))
    }

    /// Which of the seconds 1…12 after a first write write again, with rows recorded before each or not.
    static func writes(rows: Bool) -> [Int64] {
        let path = NSTemporaryDirectory() + "bytebit-cadence-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reporter = reporter(path)
        let writer = RecordWriterCounters()
        reporter.writeIfDue(
            feed: feed, writer: writer, now: UTCTimestamp(microsecondsSince1970: start), rowsChanged: rows,
            eventsChanged: false)
        var written: [Int64] = []
        for second in Int64(1)...12 {
            let now = UTCTimestamp(microsecondsSince1970: start + second * 1_000_000)
            if reporter.writeIfDue(feed: feed, writer: writer, now: now, rowsChanged: rows, eventsChanged: false) {
                written.append(second)
            }
        }
        return written
    }

    @Test func aMarketAloneWritesEverySecondWhileRowsComeIn() {
        #expect(Self.writes(rows: true) == Array(1...12))
    }

    @Test func aQuietMarketAloneWritesEveryFiveSeconds() {
        #expect(Self.writes(rows: false) == [5, 10])
    }

    @Test func theNextWriteIsDueWhenTheCadenceSays() throws {
        let path = NSTemporaryDirectory() + "bytebit-cadence-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reporter = Self.reporter(path)
        #expect(reporter.nextWriteAt(rowsChanged: true, eventsChanged: false) == nil, "never written: at once")
        reporter.writeIfDue(
            feed: Self.feed, writer: RecordWriterCounters(), now: UTCTimestamp(microsecondsSince1970: Self.start),
            rowsChanged: false, eventsChanged: false)
        #expect(reporter.nextWriteAt(rowsChanged: false, eventsChanged: false) == Self.start + 5_000_000)
        #expect(reporter.nextWriteAt(rowsChanged: true, eventsChanged: false) == Self.start + 1_000_000)
        #expect(reporter.nextWriteAt(rowsChanged: false, eventsChanged: true) == Self.start + 1_000_000)
    }
}
