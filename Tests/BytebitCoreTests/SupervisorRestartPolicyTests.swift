import Testing
@testable import BytebitCore

@Suite struct SupervisorRestartPolicyTests {
    private let policy = RestartPolicy(
        initialDelayMicroseconds: 1_000_000, maximumDelayMicroseconds: 8_000_000, jitterFraction: 0.2,
        healthyAfterMicroseconds: 60_000_000)

    private func delay(_ decision: RestartDecision) -> Int64? {
        if case .restart(let microseconds) = decision { microseconds } else { nil }
    }

    @Test func delaysDoubleUpToTheMaximumWithoutJitter() {
        var backoff = RestartBackoff(policy: policy)
        let delays = (0..<6).map { _ in delay(backoff.childExited(.exited(1), ranForMicroseconds: 100_000, jitter: 0)) }
        #expect(delays == [1_000_000, 2_000_000, 4_000_000, 8_000_000, 8_000_000, 8_000_000])
        #expect(backoff.consecutiveFailures == 6)
    }

    @Test(arguments: [-1.0, -0.5, 0.0, 0.5, 1.0])
    func jitterStaysWithinItsFraction(jitter: Double) throws {
        var backoff = RestartBackoff(policy: policy)
        _ = backoff.childExited(.exited(1), ranForMicroseconds: 0, jitter: 0)
        let second = try #require(delay(backoff.childExited(.signalled(9), ranForMicroseconds: 0, jitter: jitter)))
        #expect(second == 2_000_000 + Int64(400_000 * jitter))
    }

    @Test func jitterNeverExceedsTheMaximum() throws {
        var backoff = RestartBackoff(policy: policy)
        for _ in 0..<5 { _ = backoff.childExited(.exited(1), ranForMicroseconds: 0, jitter: 0) }
        let capped = try #require(delay(backoff.childExited(.exited(1), ranForMicroseconds: 0, jitter: 1)))
        #expect(capped == 8_000_000)
    }

    @Test func aHealthyRunResetsTheBackoff() {
        var backoff = RestartBackoff(policy: policy)
        for _ in 0..<4 { _ = backoff.childExited(.exited(75), ranForMicroseconds: 1_000, jitter: 0) }
        let afterHealthyRun = delay(backoff.childExited(.exited(75), ranForMicroseconds: 60_000_000, jitter: 0))
        #expect(afterHealthyRun == 1_000_000)
        #expect(backoff.consecutiveFailures == 1)
    }

    @Test func aShortRunDoesNotResetTheBackoff() {
        var backoff = RestartBackoff(policy: policy)
        _ = backoff.childExited(.exited(1), ranForMicroseconds: 0, jitter: 0)
        #expect(delay(backoff.childExited(.exited(1), ranForMicroseconds: 59_999_999, jitter: 0)) == 2_000_000)
    }

    @Test(arguments: [Int32(64), 78])
    func usageAndConfigurationExitsAreHeld(code: Int32) {
        var backoff = RestartBackoff(policy: policy)
        #expect(backoff.childExited(.exited(code), ranForMicroseconds: 0, jitter: 0) == .holdUntilConfigChanges)
    }

    @Test(arguments: [ChildExit.exited(0), .exited(1), .exited(75), .exited(2), .signalled(9), .signalled(78)])
    func otherEndingsAreRestarted(exit: ChildExit) {
        var backoff = RestartBackoff(policy: policy)
        #expect(delay(backoff.childExited(exit, ranForMicroseconds: 0, jitter: 0)) == 1_000_000)
    }

    @Test func resetStartsOverAtTheInitialDelay() {
        var backoff = RestartBackoff(policy: policy)
        for _ in 0..<3 { _ = backoff.childExited(.exited(1), ranForMicroseconds: 0, jitter: 0) }
        backoff.reset()
        #expect(delay(backoff.childExited(.exited(1), ranForMicroseconds: 0, jitter: 0)) == 1_000_000)
    }

    @Test func exitDescriptionsNameTheStatusOrSignal() {
        #expect(ChildExit.exited(78).description == "exited with configuration error (78)")
        #expect(ChildExit.exited(3).description == "exited with status 3")
        #expect(ChildExit.signalled(9).description == "killed by signal 9 (SIGKILL)")
    }
}
