import Testing

@testable import BytebitCore

/// A group hands its one pong only to the markets whose ping is unanswered (`readIsAwaitingPong`).
@Suite struct FeedAwaitingPongTests {
    private static func awaitsPong(_ feed: FeedHarness) -> Bool {
        var machine = feed.machine
        return machine.readIsAwaitingPong()
    }

    @Test func aMarketAwaitsAPongFromItsPingUntilTheAnswer() {
        var feed = FeedHarness()
        feed.goLive()
        #expect(!Self.awaitsPong(feed), "no ping yet")
        // Data all along (not stale), until the ping interval is up.
        for _ in 0..<19 {
            feed.advance(milliseconds: 1_000)
            feed.send(.messageReceived)
        }
        #expect(!Self.awaitsPong(feed), "no ping before its interval")
        let actions = feed.tick(afterMilliseconds: 1_000)
        #expect(actions.contains { if case .send(let text) = $0 { FeedRequest.isPing(text) } else { false } })
        #expect(Self.awaitsPong(feed), "its ping is out")
        feed.send(.messageReceived)
        #expect(Self.awaitsPong(feed), "data is no answer")
        feed.send(.pongReceived)
        #expect(!Self.awaitsPong(feed), "answered")
    }
}
