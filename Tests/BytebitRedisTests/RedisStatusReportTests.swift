import Foundation
import Testing
@testable import BytebitCore

/// `bytebit status` and the status file carry Redis's state: connected, messages sent, dropped.
@Suite struct RedisStatusReportTests {
    private let now = UTCTimestamp(microsecondsSince1970: 1_800_000_000_000_000)

    private func ago(_ seconds: Int64) -> UTCTimestamp {
        UTCTimestamp(microsecondsSince1970: now.microseconds - seconds * 1_000_000)
    }

    private func status(_ market: String, pid: Int32, redis: OutputStatus?) -> CollectorStatus {
        var status = CollectorStatus(market: market, pid: pid, state: "live", startedAt: ago(50), updatedAt: ago(1))
        status.redis = redis
        return status
    }

    private func report(_ statuses: [CollectorStatus]) -> [String] {
        let markets = statuses.map { SupervisorState.Market(market: $0.market, phase: .running, pid: $0.pid, startedAt: ago(50)) }
        let state = SupervisorState(pid: 100, startedAt: ago(60), updatedAt: ago(1), configPath: "/c.yaml", markets: markets)
        let collectors = Dictionary(uniqueKeysWithValues: statuses.map { ($0.market, $0) })
        return StatusReport.render(state: state, collectors: collectors, now: now).split(separator: "\n").map(String.init)
    }

    @Test func theReportSumsTheMarketsRedisCounters() {
        let lines = report([
            status("BTC-USD", pid: 101, redis: OutputStatus(connected: true, sent: 1200, dropped: 3)),
            status("ETH-USD", pid: 102, redis: OutputStatus(connected: true, sent: 34, dropped: 0)),
        ])
        #expect(lines.last == "redis: connected, 1234 messages sent, 3 dropped")
        let partly = report([
            status("BTC-USD", pid: 101, redis: OutputStatus(connected: false, sent: 10, dropped: 90)),
            status("ETH-USD", pid: 102, redis: OutputStatus(connected: true, sent: 1, dropped: 0)),
        ])
        #expect(partly.last == "redis: connected for 1 of 2 markets, 11 messages sent, 90 dropped")
        let down = report([status("BTC-USD", pid: 101, redis: OutputStatus(connected: false, sent: 0, dropped: 7))])
        #expect(down.last == "redis: not connected, 0 messages sent, 7 dropped")
    }

    @Test func withoutRedisThereIsNoRedisLine() {
        #expect(!report([status("BTC-USD", pid: 101, redis: nil)]).contains { $0.hasPrefix("redis:") })
    }

    @Test func theStatusFileKeepsTheRedisCounters() throws {
        let path = NSTemporaryDirectory() + "redis-status-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let written = status("BTC-USD", pid: 7, redis: OutputStatus(connected: true, sent: 5, dropped: 2))
        try written.write(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"redis\":{\"connected\":true,\"dropped\":2,\"sent\":5}"))
        #expect(try CollectorStatus.read(from: path) == written)
        let without = status("BTC-USD", pid: 7, redis: nil)
        try without.write(to: path)
        #expect(try !String(contentsOfFile: path, encoding: .utf8).contains("redis"))
    }
}
