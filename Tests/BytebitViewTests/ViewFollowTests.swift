import Foundation
import Testing
@testable import BytebitView
import BytebitCore

/// `--follow`: rows appended later are shown, a line written in two parts is shown once whole, and after
/// midnight the next day's file is followed. The waits are scripted steps, not sleeps.
@Suite struct ViewFollowTests {
    /// The steps run by each wait; returns false when the script is over.
    final class Script: @unchecked Sendable {
        private let lock = NSLock()
        private var steps: [() throws -> Void]
        private(set) var failures: [String] = []

        init(_ steps: [() throws -> Void]) {
            self.steps = steps
        }

        func next() -> Bool {
            lock.withLock {
                guard !steps.isEmpty else { return false }
                let step = steps.removeFirst()
                do { try step() } catch { failures.append("\(error)") }
                return true
            }
        }
    }

    @Test func followsAppendsAndCrossesMidnight() throws {
        let data = try ViewDataDirectory()
        let lines = ViewSamples.trades.map(ViewSamples.tradeLine)
        let path = try data.write(([ViewSamples.tradeHeader] + lines.prefix(2)).joined(separator: "\n") + "\n", kind: .trades)
        let clock = ManualClock(try #require(UTCTimestamp("2026-11-21T23:59:59Z")))
        let nextDayRow = "2026-11-22T00:00:00.100000Z,2026-11-22T00:00:00.100900Z,106,sell,67322.0,0.10000000,market"
        let script = Script([
            { try data.append(lines[2] + "\n" + String(lines[3].prefix(30)), to: path) },
            { try data.append(String(lines[3].dropFirst(30)) + "\n", to: path) },
            {
                clock.set(UTCTimestamp("2026-11-22T00:00:01Z") ?? clock.now())
                try data.write(ViewSamples.tradeHeader + "\n" + nextDayRow + "\n", kind: .trades, date: "2026-11-22")
                // Written after the next day's file appeared: the old file is still read to its end.
                try data.append(lines[4] + "\n", to: path)
            },
        ])
        var request = ViewSamples.request(trades: true, format: .csv)
        request.follows = true
        let (output, result) = data.view(request, follow: FollowControl(clock: clock, waitForMoreData: script.next))
        #expect(script.failures.isEmpty)
        #expect(output == ([ViewSamples.tradeHeader] + lines + [nextDayRow]).joined(separator: "\n") + "\n")
        #expect(try result.get().corruptRowCount == 0)
    }
}
