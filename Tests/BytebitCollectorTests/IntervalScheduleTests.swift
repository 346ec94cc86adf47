import BytebitCore
import Testing
@testable import BytebitCollector

@Suite struct IntervalScheduleTests {
    private func at(_ text: String) throws -> UTCTimestamp { try #require(UTCTimestamp(text)) }

    @Test func ticksFallOnMultiplesOfTheIntervalAfterTheStart() throws {
        var schedule = IntervalSchedule(intervalMicroseconds: 500_000, after: try at("2026-11-21T23:59:58.700000Z"))
        #expect(schedule.ticksDue(at: try at("2026-11-21T23:59:58.999999Z")).isEmpty)
        let due = schedule.ticksDue(at: try at("2026-11-22T00:00:00.000000Z")).map(\.description)
        #expect(due == ["2026-11-21T23:59:59.000000Z", "2026-11-21T23:59:59.500000Z", "2026-11-22T00:00:00.000000Z"])
        #expect(schedule.ticksDue(at: try at("2026-11-22T00:00:00.400000Z")).isEmpty)
    }

    @Test func aTickExactlyAtTheStartIsNotRepeated() throws {
        var schedule = IntervalSchedule(intervalMicroseconds: 1_000_000, after: try at("2026-11-21T10:00:00Z"))
        #expect(schedule.ticksDue(at: try at("2026-11-21T10:00:01Z")).map(\.description) == ["2026-11-21T10:00:01.000000Z"])
    }
}
