import KrakenSim
import Testing

/// Heartbeats: about once a second on a subscribed connection that got nothing else.
@Suite struct HeartbeatTests {
    static let heartbeat = #"{"channel":"heartbeat"}"#

    @Test func idleSubscribedConnectionGetsAHeartbeatEverySecond() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        harness.send(#"{"method":"subscribe","params":{"channel":"instrument","snapshot":false}}"#, from: id)
        _ = harness.output.newFrames(to: id)
        harness.run(seconds: 0.9)
        #expect(harness.output.newFrames(to: id).isEmpty)
        harness.run(seconds: 3.2)
        #expect(harness.output.newFrames(to: id) == Array(repeating: Self.heartbeat, count: 4))
    }

    @Test func noHeartbeatBeforeAnySubscription() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        harness.run(seconds: 3)
        #expect(harness.output.frames(to: id).count == 1)
    }

    @Test func noHeartbeatWhileDataFlows() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        harness.subscribeBook(["BTC/USD"], depth: 1000, from: id)
        harness.run(seconds: 3)
        let frames = harness.output.frames(to: id)
        #expect(frames.count > 100)
        #expect(!frames.contains(Self.heartbeat))
    }
}
