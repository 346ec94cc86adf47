import Foundation
import Testing

@testable import BytebitCollector
@testable import BytebitCore

/// How often a market's status file is rewritten: a market alone every second while rows come
/// in; a market in a group every 10 s unless its state changes (issue 10: hundreds of markets).
@Suite struct StatusCadenceTests {
    static let start: Int64 = 1_787_757_360_000_000
    static let feed = FeedStatus(
        stateName: "live", reconnectCount: 0, checksumFailureCount: 0, lastMessageAt: nil, systemStatus: "online",
        malformedFrameCount: 0)

    /// Which of the seconds 1…12 after a first write write again, with rows recorded before each.
    static func writes(inGroup: Bool, eventsAt: Set<Int64> = []) -> [Int64] {
        let path = NSTemporaryDirectory() + "bytebit-cadence-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reporter = StatusReporter(
            path: path, market: "ETH-BTC", startedAt: UTCTimestamp(microsecondsSince1970: start), inGroup: inGroup)
        let writer = RecordWriterCounters()
        reporter.writeIfDue(
            feed: feed, writer: writer, now: UTCTimestamp(microsecondsSince1970: start), rowsChanged: true,
            eventsChanged: false)
        var written: [Int64] = []
        for second in Int64(1)...12 {
            let now = UTCTimestamp(microsecondsSince1970: start + second * 1_000_000)
            if reporter.writeIfDue(
                feed: feed, writer: writer, now: now, rowsChanged: true, eventsChanged: eventsAt.contains(second))
            {
                written.append(second)
            }
        }
        return written
    }

    @Test func aMarketAloneWritesEverySecondWhileRowsComeIn() {
        #expect(Self.writes(inGroup: false) == Array(1...12))
    }

    @Test func aMarketInAGroupWritesEveryTenSecondsWhileOnlyRowsComeIn() {
        #expect(Self.writes(inGroup: true) == [10])
    }

    @Test func aMarketInAGroupWritesWithinASecondOfAnEvent() {
        #expect(Self.writes(inGroup: true, eventsAt: [3]) == [3])
    }

    @Test func theNextWriteIsDueWhenTheCadenceSays() throws {
        let path = NSTemporaryDirectory() + "bytebit-cadence-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reporter = StatusReporter(
            path: path, market: "ETH-BTC", startedAt: UTCTimestamp(microsecondsSince1970: Self.start), inGroup: true)
        #expect(reporter.nextWriteAt(rowsChanged: true, eventsChanged: false) == nil, "never written: at once")
        reporter.writeIfDue(
            feed: Self.feed, writer: RecordWriterCounters(), now: UTCTimestamp(microsecondsSince1970: Self.start),
            rowsChanged: false, eventsChanged: false)
        #expect(reporter.nextWriteAt(rowsChanged: true, eventsChanged: false) == Self.start + 10_000_000)
        #expect(reporter.nextWriteAt(rowsChanged: true, eventsChanged: true) == Self.start + 1_000_000)
    }
}
