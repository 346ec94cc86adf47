import KrakenSim
import Testing

/// The same seed and the same calls give the same frames.
@Suite struct DeterminismTests {
    func session(seed: UInt64) throws -> [String] {
        let harness = try SimHarness(SimOptions(seed: seed))
        let id = harness.open(1)
        harness.subscribeBook(["BTC/USD", "ETH/BTC"], depth: 25, from: id)
        harness.subscribeTrades(["BTC/USD"], snapshot: true, from: id)
        harness.run(seconds: 1)
        harness.send(#"{"method":"ping","req_id":3}"#, from: id)
        harness.run(seconds: 1)
        return harness.output.frames(to: id)
    }

    @Test func sameSeedSameFrames() throws {
        let first = try session(seed: 42)
        let second = try session(seed: 42)
        #expect(first.count > 100)
        #expect(first == second)
    }

    @Test func otherSeedOtherMarket() throws {
        let first = try session(seed: 42)
        let other = try session(seed: 43)
        #expect(first.dropFirst(2).prefix(3) != other.dropFirst(2).prefix(3))
    }
}
