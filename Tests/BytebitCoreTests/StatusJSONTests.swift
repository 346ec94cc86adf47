import Foundation
import Testing

@testable import BytebitCore

/// The status files are written by hand (`CollectorStatus.jsonBytes`): the same bytes as
/// `JSONEncoder` with the files' settings, for every optional field present or absent and for text
/// that needs escaping, and they read back to the same status.
@Suite struct StatusJSONTests {
    private static let start = UTCTimestamp(microsecondsSince1970: 1_764_547_200_123_456)

    private static var plain: CollectorStatus {
        CollectorStatus(
            market: "BTC-USD", pid: 4242, state: "live", startedAt: start,
            updatedAt: UTCTimestamp(microsecondsSince1970: start.microseconds + 61_000_001))
    }

    private static var everything: CollectorStatus {
        var status = CollectorStatus(
            market: "ETH2.S-ETH", pid: 7, state: "losing_rows", startedAt: start,
            updatedAt: UTCTimestamp(microsecondsSince1970: start.microseconds + 5),
            lastMessageAt: UTCTimestamp(microsecondsSince1970: start.microseconds + 3),
            rowsToday: .init(orderbook: 123_456, trades: 78, events: 9, klines: 12), checksumFailures: 2,
            reconnects: 3)
        status.rowsToday.ticker = 0
        status.rowsToday.ohlc = 44
        status.rowsLost = 10
        status.lastWriteError = "cannot write /data/ETH2.S-ETH/orderbook: \"No space\"\\ left\n\t\r\u{8}\u{c}\u{1}\u{1f} é€"
        status.lastWriteErrorAt = UTCTimestamp(microsecondsSince1970: start.microseconds + 1)
        status.isLosingRows = true
        status.failedConnectionAttempts = 4
        status.lastConnectionError = "cannot resolve ws.kraken.com/v2"
        status.redis = OutputStatus(connected: true, sent: 99, dropped: 1)
        return status
    }

    private static func encoded(_ value: some Encodable) throws -> [UInt8] {
        Array(try JSONEncoder.statusFile.encode(value))
    }

    @Test(arguments: [plain, everything])
    func aMarketsStatusIsWhatTheEncoderWrites(status: CollectorStatus) throws {
        #expect(String(decoding: status.jsonBytes, as: UTF8.self) == String(decoding: try Self.encoded(status), as: UTF8.self))
        #expect(try JSONDecoder().decode(CollectorStatus.self, from: Data(status.jsonBytes)) == status)
    }

    @Test func aGroupsStatusIsWhatTheEncoderWrites() throws {
        var redisOff = Self.plain
        redisOff.market = "XBT-EUR"
        redisOff.redis = OutputStatus(connected: false, sent: 0, dropped: 12)
        for markets in [[], [Self.plain], [Self.plain, Self.everything, redisOff]] {
            let group = CollectorGroupStatus(pid: 99, updatedAt: Self.start, markets: markets)
            #expect(String(decoding: group.jsonBytes, as: UTF8.self) == String(decoding: try Self.encoded(group), as: UTF8.self))
            #expect(try JSONDecoder().decode(CollectorGroupStatus.self, from: Data(group.jsonBytes)) == group)
        }
    }

    @Test func theFileIsTheTextAndANewline() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("status-json-\(getpid()).json").path
        defer { unlink(path) }
        let group = CollectorGroupStatus(pid: 1, updatedAt: Self.start, markets: [Self.everything])
        try group.write(to: path)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == group.jsonBytes + [UInt8(ascii: "\n")])
        #expect(try CollectorStatusFile.read(from: path) == [Self.everything])
    }
}
