import BytebitCore
import KrakenSim
import Testing

/// Kraken's connection limit: N attempts per rolling window, then a ban; every attempt counted.
@Suite struct ConnectionLimitTests {
    static let limit = SimConnectionLimit(attempts: 3, windowSeconds: 10, banSeconds: 20)

    static func wasRefused(_ harness: SimHarness, _ id: SimConnectionID) -> Bool {
        harness.output.events.contains(.closed(id, code: 1008, reason: "429 Too Many Requests: connection limit exceeded"))
            && harness.output.frames(to: id).isEmpty
    }

    @Test func theAttemptPastTheLimitIsRefusedAndStartsABan() throws {
        let harness = try SimHarness(SimOptions(connectionLimit: Self.limit))
        for number in 1...3 {
            let id = harness.open(UInt64(number))
            #expect(!Self.wasRefused(harness, id))
            #expect(harness.output.frames(to: id).count == 1, "status")
        }
        let fourth = harness.open(4)
        #expect(Self.wasRefused(harness, fourth))
        // The window rolls past the first three, but the ban still holds.
        harness.run(seconds: 15)
        #expect(Self.wasRefused(harness, harness.open(5)))
        harness.run(seconds: 6)
        let afterBan = harness.open(6)
        #expect(!Self.wasRefused(harness, afterBan))
        let stats = harness.exchange.stats
        #expect(stats.connectionAttempts == 6)
        #expect(stats.refusals == 2)
        #expect(stats.bans == 1)
        #expect(stats.openConnections == 4)
        #expect(!stats.isBanned)
    }

    @Test func attemptsOlderThanTheWindowNoLongerCount() throws {
        let harness = try SimHarness(SimOptions(connectionLimit: Self.limit))
        for number in 1...3 { harness.open(UInt64(number)) }
        harness.run(seconds: 10.5)
        for number in 4...6 { #expect(!Self.wasRefused(harness, harness.open(UInt64(number)))) }
        #expect(Self.wasRefused(harness, harness.open(7)))
        #expect(harness.exchange.stats.isBanned)
    }

    @Test func withoutALimitEveryAttemptIsAcceptedAndCounted() throws {
        let harness = try SimHarness()
        for number in 1...200 { #expect(!Self.wasRefused(harness, harness.open(UInt64(number)))) }
        #expect(harness.exchange.stats.connectionAttempts == 200)
        #expect(harness.exchange.stats.refusals == 0)
    }

    @Test func aLimitBelowOneIsRejected() {
        #expect(throws: SimError.self) {
            try SimOptions(connectionLimit: SimConnectionLimit(attempts: 0)).validate()
        }
    }
}
