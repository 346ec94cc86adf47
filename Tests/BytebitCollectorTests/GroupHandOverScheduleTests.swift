import Testing
@testable import BytebitCollector

/// A frame looks through the group's parts for rows to hand over only once one can be due.
@Suite struct GroupHandOverScheduleTests {
    @Test func framesBeforeAnyRowCanBeDueDoNotLook() {
        var schedule = GroupHandOverSchedule()
        #expect(schedule.isDue(at: 0), "the first frame looks")
        // Nothing waiting: a row made from now on is due 250 ms later at the earliest.
        schedule.looked(at: 1_000_000, earliestWaiting: nil, shortestWait: 250_000)
        #expect(!schedule.isDue(at: 1_100_000))
        #expect(!schedule.isDue(at: 1_249_999))
        #expect(schedule.isDue(at: 1_250_000))
        // A row still waiting, due sooner than a new one could be: the next look is at its due time.
        schedule.looked(at: 2_000_000, earliestWaiting: 2_200_000, shortestWait: 250_000)
        #expect(!schedule.isDue(at: 2_199_999))
        #expect(schedule.isDue(at: 2_200_000))
        // Every part stopped: no look is ever due, and nothing overflows.
        schedule.looked(at: 4_000_000, earliestWaiting: nil, shortestWait: .max)
        #expect(!schedule.isDue(at: .max - 1))
    }

    /// Many parts' rows coming due one after the other (a group of 60–100 markets): the group
    /// looks through its parts at most every half the shortest wait, not at every frame.
    @Test func looksStayHalfTheShortestWaitApart() {
        var schedule = GroupHandOverSchedule()
        schedule.looked(at: 3_000_000, earliestWaiting: 3_010_000, shortestWait: 250_000)
        #expect(!schedule.isDue(at: 3_010_000), "a row due 10 ms later waits for the spacing")
        #expect(!schedule.isDue(at: 3_124_999))
        #expect(schedule.isDue(at: 3_125_000))
        // With a live output's shorter delay (50 ms share), the spacing is shorter too.
        schedule.looked(at: 4_000_000, earliestWaiting: 4_001_000, shortestWait: 50_000)
        #expect(!schedule.isDue(at: 4_024_999))
        #expect(schedule.isDue(at: 4_025_000))
    }
}
