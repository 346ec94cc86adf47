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

    // MARK: Reading by hand (the supervisor)

    private static func decoded(_ bytes: [UInt8]) throws -> [CollectorStatus] {
        try JSONDecoder().decode(CollectorStatusFile.self, from: Data(bytes)).statuses
    }

    @Test func filesAreReadByHandAsTheDecoderReadsThem() throws {
        let group = CollectorGroupStatus(pid: 99, updatedAt: Self.start, markets: [Self.plain, Self.everything])
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted]
        let texts: [[UInt8]] = [
            group.jsonBytes, Self.everything.jsonBytes, Self.plain.jsonBytes,
            Array(try pretty.encode(group)), Array(try pretty.encode(Self.everything)),
            Array(#"{"pid":1,"updated_at":"2025-12-01T00:00:00.000001Z","markets":[]}"#.utf8),
        ]
        for text in texts {
            let byHand = try #require(CollectorStatusFile.statuses(readingByHand: text), "\(String(decoding: text, as: UTF8.self))")
            #expect(byHand == (try Self.decoded(text)))
        }
    }

    /// Keys in another order, unknown keys with nested values, `null` for optional fields, `\u`
    /// escapes (a surrogate pair too), and whitespace everywhere.
    @Test func anyValidSpellingIsReadByHand() throws {
        let text = #"""
             { "future": {"a": [1, -2.5e3, {"b": null}, true, "x\\"]},
               "updated_at" : "2025-12-01T00:00:00.000001Z", "rows_today": {"trades": 2, "orderbook": 1,
               "events": 3, "ticker": null}, "state": "live", "market": "ETH2.S-ETH", "pid": 12,
               "started_at": "2025-12-01T00:00:00.000000Z", "checksum_failures": 0, "reconnects": 1,
               "last_message_at": null, "rows_lost": null, "redis": null,
               "last_connection_error": "caf\u00e9 \ud83d\ude00 \/ \"q\"\t" }	
            """#
        let bytes = Array(text.utf8)
        let byHand = try #require(CollectorStatusFile.statuses(readingByHand: bytes))
        #expect(byHand == (try Self.decoded(bytes)))
        #expect(byHand.first?.lastConnectionError == "café 😀 / \"q\"\t")
    }

    /// What the reader does not take is left to `JSONDecoder` (nil), which says what is wrong.
    @Test func whatIsNotReadByHandIsLeftToTheDecoder() throws {
        let good = String(decoding: Self.plain.jsonBytes, as: UTF8.self)
        let bad = [
            String(good.dropLast()), good + "x", good.replacingOccurrences(of: #""pid":4242"#, with: #""pid":4242.0"#),
            good.replacingOccurrences(of: #""market":"BTC-USD","#, with: ""),
            good.replacingOccurrences(of: #""pid":4242"#, with: #""pid":99999999999"#),
            #"{"markets":[]}"#, "",
        ]
        for text in bad {
            #expect(CollectorStatusFile.statuses(readingByHand: Array(text.utf8)) == nil, "\(text)")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("status-bad-\(getpid()).json").path
        defer { unlink(path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bad[0].utf8)))
        #expect(throws: SupervisorError.self) { try CollectorStatusFile.read(from: path) }
    }
}
