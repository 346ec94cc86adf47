import Testing

@testable import BytebitCore

/// `FeedInput.leavesFeedStatus` lets a group skip comparing its markets' statuses after data
/// frames: it must hold for the machine in every stage those inputs arrive in, and be false for
/// the inputs that do move the status.
@Suite struct FeedInputStatusTests {
    private static func withoutLiveness(_ status: FeedStatus) -> FeedStatus {
        var status = status
        status.lastMessageAt = nil
        return status
    }

    /// Stages a frame can arrive in: subscribing (no snapshot yet) and live.
    private static func stages() -> [FeedHarness] {
        var subscribing = FeedHarness()
        subscribing.send(.start)
        subscribing.send(.connected)
        subscribing.send(.statusReceived(system: "online"))
        var live = FeedHarness()
        live.goLive()
        return [subscribing, live]
    }

    @Test func dataFramesLeaveTheStatusButForItsLivenessTime() {
        for stage in Self.stages() {
            for input in [FeedInput.messageReceived, .bookVerified(isSnapshot: false)] {
                #expect(input.leavesFeedStatus)
                var feed = stage
                let before = feed.machine.status
                feed.advance(milliseconds: 500)
                #expect(feed.send(input).isEmpty)
                #expect(Self.withoutLiveness(feed.machine.status) == Self.withoutLiveness(before), "\(input)")
                #expect(feed.machine.status.lastMessageAt == feed.now)
            }
        }
    }

    @Test func inputsThatMoveTheStatusAreNotSkipped() {
        var feed = FeedHarness()
        feed.goLive()
        let live = feed.machine.status
        #expect(!FeedInput.bookChecksumMismatch(expected: 1, computed: 2).leavesFeedStatus)
        feed.send(.bookChecksumMismatch(expected: 1, computed: 2))
        #expect(Self.withoutLiveness(feed.machine.status) != Self.withoutLiveness(live))
        for input in [FeedInput.bookVerified(isSnapshot: true), .tick, .statusReceived(system: "maintenance"),
                      .connectionEnded(reason: "lost"), .malformedFrame(reason: "bad"), .pongReceived] {
            #expect(!input.leavesFeedStatus, "\(input)")
        }
    }
}
