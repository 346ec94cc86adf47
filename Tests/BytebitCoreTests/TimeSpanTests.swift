import Testing

@testable import BytebitCore

@Suite struct TimeSpanTests {
    @Test(arguments: [
        (Duration.seconds(15), Int64(15_000_000)), (.milliseconds(250), 250_000), (.microseconds(7), 7),
        (.nanoseconds(1_999), 1), (.seconds(-2), -2_000_000), (.zero, 0),
    ])
    func durationsBecomeWholeMicroseconds(duration: Duration, microseconds: Int64) {
        #expect(TimeSpan(duration).microseconds == microseconds)
        #expect(TimeSpan(microseconds: microseconds).duration == .microseconds(microseconds))
    }

    @Test func instantArithmetic() {
        let start = FeedHarness.start
        let later = start.advanced(by: .milliseconds(1_500))
        #expect(later.microseconds - start.microseconds == 1_500_000)
        #expect(TimeSpan(from: start, to: later) == .milliseconds(1_500))
        #expect(start.hasElapsed(.milliseconds(1_500), by: later))
        #expect(!start.hasElapsed(.milliseconds(1_501), by: later))
        #expect(TimeSpan.seconds(1) < .milliseconds(1_001))
    }

    @Test func manualClockAdvancesBySpans() {
        let clock = ManualClock(FeedHarness.start)
        clock.advance(by: .seconds(2))
        #expect(clock.now() == FeedHarness.start.advanced(by: .milliseconds(2_000)))
    }

    @Test(arguments: [
        ("1ms", Int64(1_000)), ("500ms", 500_000), ("90s", 90_000_000), ("5m", 300_000_000), ("2h", 7_200_000_000),
    ])
    func configTextReadsBackExactly(text: String, microseconds: Int64) {
        #expect(TimeSpan(configText: text)?.microseconds == microseconds)
        #expect(TimeSpan(configText: TimeSpan(microseconds: microseconds).configText)?.microseconds == microseconds)
    }

    @Test(arguments: ["", "0s", "-1s", "1.5s", "1 s", "1d", "9999999999999999h"])
    func configTextRejectsMalformedSpans(text: String) {
        #expect(TimeSpan(configText: text) == nil)
    }

    @Test(arguments: [
        (Int64(1_250_000), "1.250 s"), (15_000_000, "15.000 s"), (999, "0.000 s"), (-500_000, "-0.500 s"),
        (-1_500_000, "-1.500 s"), (61_005_000, "61.005 s"),
    ])
    func secondsText(microseconds: Int64, text: String) {
        #expect(TimeSpan(microseconds: microseconds).secondsText == text)
        #expect(TimeSpan(microseconds: microseconds).description == text)
    }

    /// The cases of `StatusReport.duration`, which is to forward here.
    @Test(arguments: [
        (Int64(0), "0.0s"), (400_000, "0.4s"), (9_950_000, "9.9s"), (42_000_000, "42s"), (723_000_000, "12m03s"),
        (7_380_000_000, "2h03m"), (273_600_000_000, "3d04h"), (-5, "0.0s"),
    ])
    func compactText(microseconds: Int64, text: String) {
        #expect(TimeSpan(microseconds: microseconds).compactText == text)
    }

    /// The form of `view --summary`'s gap durations (`DisplayText.duration`), which is to forward here.
    @Test(arguments: [
        (Int64(3_250_000), "3.250000s"), (0, "0.000000s"), (123_250_000, "2m 03.250000s"),
        (3_723_250_000, "1h 02m 03.250000s"), (60_000_001, "1m 00.000001s"),
    ])
    func preciseText(microseconds: Int64, text: String) {
        #expect(TimeSpan(microseconds: microseconds).preciseText == text)
    }
}
