import Testing
@testable import BytebitCore

@Suite struct UTCTimestampTests {
    @Test(arguments: [
        ("2026-11-21T23:59:59.123456Z", "2026-11-21T23:59:59.123456Z"),
        ("2023-10-04T15:25:00.000000000Z", "2023-10-04T15:25:00.000000Z"),
        ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000000Z"),
        ("1970-01-01T00:00:00.5Z", "1970-01-01T00:00:00.500000Z"),
    ])
    func roundTripsToSixFractionDigits(input: String, printed: String) throws {
        let instant = try #require(UTCTimestamp(input))
        #expect(instant.description == printed)
    }

    @Test func knowsTheEpochAndTheUTCDate() throws {
        #expect(UTCTimestamp("1970-01-01T00:00:01Z")?.microseconds == 1_000_000)
        let lastMicrosecond = try #require(UTCTimestamp("2026-11-21T23:59:59.999999Z"))
        #expect(lastMicrosecond.utcDate == "2026-11-21")
        #expect(UTCTimestamp(microsecondsSince1970: lastMicrosecond.microseconds + 1).utcDate == "2026-11-22")
    }

    @Test(arguments: ["", "2026-11-21", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-21T25:00:00Z",
                      "2026-11-21T00:00:00", "2026-11-21T00:00:00.Z", "2026-11-21T00:00:00.1234567890Z"])
    func rejectsMalformedText(input: String) {
        #expect(UTCTimestamp(input) == nil)
    }
}
