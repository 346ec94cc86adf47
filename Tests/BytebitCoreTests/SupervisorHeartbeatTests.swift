import Testing
@testable import BytebitCore

@Suite struct SupervisorHeartbeatTests {
    private let start = UTCTimestamp(microsecondsSince1970: 1_800_000_000_000_000)
    private let rule = Heartbeat(timeoutMicroseconds: 30_000_000)

    private func at(_ seconds: Int64) -> UTCTimestamp {
        UTCTimestamp(microsecondsSince1970: start.microseconds + seconds * 1_000_000)
    }

    @Test func aChildThatNeverWroteIsHungOnlyAfterTheTimeoutFromItsStart() {
        #expect(!rule.isHung(startedAt: start, lastUpdate: nil, now: at(30)))
        #expect(rule.isHung(startedAt: start, lastUpdate: nil, now: at(31)))
    }

    @Test func aFreshStatusKeepsItAlive() {
        #expect(!rule.isHung(startedAt: start, lastUpdate: at(100), now: at(129)))
        #expect(rule.isHung(startedAt: start, lastUpdate: at(100), now: at(131)))
    }

    @Test func aStatusLeftByThePreviousProcessDoesNotCount() {
        let restart = at(1_000)
        #expect(!rule.isHung(startedAt: restart, lastUpdate: at(10), now: at(1_020)))
        #expect(rule.isHung(startedAt: restart, lastUpdate: at(10), now: at(1_031)))
    }
}
