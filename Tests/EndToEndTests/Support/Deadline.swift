import Foundation

/// Something a test waited for did not happen in time.
struct TimedOut: Error, CustomStringConvertible {
    let what: String
    let seconds: Double
    var description: String { "timed out after \(seconds) s waiting for \(what)" }
}

/// Polls `condition` until it holds or `seconds` pass. Polling a condition with a deadline is how
/// these tests wait for other processes; nothing relies on a fixed sleep being long enough.
func waitUntil(
    _ what: String,
    seconds: Double = 20,
    pollEvery interval: Double = 0.02,
    _ condition: () throws -> Bool
) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return }
        Thread.sleep(forTimeInterval: interval)
    }
    if try condition() { return }
    throw TimedOut(what: what, seconds: seconds)
}
