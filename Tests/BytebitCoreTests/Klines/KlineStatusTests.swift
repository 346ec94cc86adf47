import Foundation
import Testing
@testable import BytebitCore

/// Candle rows in the status file and the supervisor's progress line.
@Suite struct KlineStatusTests {
    @Test func statusFilesCarryCandleRowsAndOlderOnesReadAsZero() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-kstatus-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let moment = try #require(UTCTimestamp("2026-11-21T13:00:00Z"))
        let status = CollectorStatus(
            market: "BTC-USD", pid: 7, state: "live", startedAt: moment, updatedAt: moment,
            rowsToday: .init(orderbook: 5, trades: 6, events: 7, klines: 3))
        try status.write(to: "\(folder)/BTC-USD.json")
        let text = try String(contentsOfFile: "\(folder)/BTC-USD.json", encoding: .utf8)
        #expect(text.contains("\"rows_today\":{\"events\":7,\"klines\":3,\"orderbook\":5,\"trades\":6}"))
        #expect(try CollectorStatus.read(from: "\(folder)/BTC-USD.json") == status)
        let old = #"{"orderbook":1,"trades":2,"events":3}"#
        let counts = try JSONDecoder().decode(CollectorStatus.RowCounts.self, from: Data(old.utf8))
        #expect(counts == .init(orderbook: 1, trades: 2, events: 3, klines: 0))
    }

    @Test func theProgressLineCountsCandlesWhenThereAreAny() throws {
        var policy = SupervisorPolicy()
        policy.progressIntervalMicroseconds = 300_000_000
        var driver = SupervisorMachineDriver(try SupervisorTestConfig.config("BTC-USD"), policy: policy)
        driver.send(.start)
        func status(_ klines: Int) throws -> CollectorStatus {
            CollectorStatus(
                market: "BTC-USD", pid: try #require(driver.pid("BTC-USD")), state: "live", startedAt: driver.now,
                updatedAt: driver.now, rowsToday: .init(orderbook: 10, trades: 4, events: 1, klines: klines))
        }
        driver.advance(100_000_000)
        _ = driver.send(.statusesRead([try status(2)]))
        driver.advance(200_000_000)
        let line = try #require(driver.send(.statusesRead([try status(7)])).logLines.first)
        #expect(line.message.hasPrefix("rows written in the last 5m00s: 10 book, 4 trade, 1 event, 7 candle; "))
    }
}
