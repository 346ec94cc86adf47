import Testing
@testable import BytebitCollector

/// The group's earliest wake-up is kept as parts are asked (not looked for among every part after
/// each wake-up), and the connection's liveness goes only to the parts that have not heard a frame
/// of their own lately.
@Suite struct GroupWakeUpsTests {
    @Test func theEarliestWakeUpFollowsEveryPartsChange() {
        var wakeUps = GroupWakeUps(partCount: 4)
        #expect(wakeUps.earliest() == nil, "nothing due yet")
        wakeUps.set(100, at: 0)
        wakeUps.set(50, at: 1)
        #expect(wakeUps.earliest() == 50)
        // The part holding the earliest moves later: the next one's is the earliest now.
        wakeUps.set(200, at: 1)
        #expect(wakeUps.earliest() == 100)
        wakeUps.set(.max, at: 0)
        #expect(wakeUps.earliest() == 200)
        // Another part comes sooner, then one later than the earliest changes nothing.
        wakeUps.set(10, at: 2)
        wakeUps.set(300, at: 3)
        #expect(wakeUps.earliest() == 10)
        // Two parts at the same instant: one moving later leaves the other's.
        wakeUps.set(10, at: 3)
        wakeUps.set(400, at: 2)
        #expect(wakeUps.earliest() == 10)
        wakeUps.set(.max, at: 3)
        wakeUps.set(.max, at: 1)
        #expect(wakeUps.earliest() == 400)
        wakeUps.set(.max, at: 2)
        #expect(wakeUps.earliest() == nil, "none due any more")
    }

    @Test func onlyPartsWithoutARecentFrameOfTheirOwnTakeTheSharedLiveness() {
        let heard: Int64 = 50_000_000
        let sharing = MarketGroupRecorder.livenessSharing
        #expect(MarketGroupRecorder.needsSharedLiveness(ownLastFrame: nil, heard: heard), "never heard its own")
        #expect(MarketGroupRecorder.needsSharedLiveness(ownLastFrame: heard - sharing, heard: heard))
        #expect(MarketGroupRecorder.needsSharedLiveness(ownLastFrame: heard - 9_000_000, heard: heard))
        #expect(!MarketGroupRecorder.needsSharedLiveness(ownLastFrame: heard - sharing + 1, heard: heard),
                "its own frame is less than the sharing spacing older: its feed heard it")
        #expect(!MarketGroupRecorder.needsSharedLiveness(ownLastFrame: heard, heard: heard))
    }
}
