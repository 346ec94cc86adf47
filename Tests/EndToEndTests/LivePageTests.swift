import Foundation
import Testing

/// The web page in a real headless Chromium (scripts/live_page_check.py): it shows the simulator's
/// best bid and ask within 2 s of load, equal to the verified book the feed sent (the file's row).
@Suite(.serialized) struct LivePageTests {
    @Test func thePageShowsTheLiveBestBidAndAskWithinTwoSecondsOfLoad() throws {
        let run = try LiveFeedRun("live-page")
        let collector = try run.startCollector()
        try collector.waitForRows(orderbook: 20)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let screenshot = run.directory.appendingPathComponent("live-page.png").path
        process.arguments = [
            "python3", root.appendingPathComponent("scripts/live_page_check.py").path,
            "--url", "http://127.0.0.1:\(run.port)/?token=\(run.token)&pair=BTC-USD", "--screenshot", screenshot,
        ]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "live_page_check.py: \(complaint)")
        let shown = try #require(try JSONSerialization.jsonObject(with: printed) as? [String: Any])
        let elapsed = try #require(shown["elapsed_ms"] as? Int)
        #expect(elapsed < 2_000, "best bid/ask on screen \(elapsed) ms after load")
        #expect(shown["ladder_rows"] as? Int == 20, "10 levels a side in the ladder")
        #expect(shown["gap_banner"] as? Bool == false)
        #expect(FileManager.default.fileExists(atPath: screenshot))
        // What the page shows is the verified book of the file's row with that timestamp.
        let timestamp = try #require(shown["timestamp"] as? String)
        let receivedAt = try #require(shown["received_at"] as? String)
        #expect(try collector.stop() == 0)
        let row = try #require(
            try collector.market.rows("orderbook").first { $0[0] == timestamp && $0[1] == receivedAt },
            "no file row at \(timestamp) \(receivedAt): \(shown)")
        // levels 10: cells 2…21 are the bids (deepest first), 22 the mid, 23… the asks.
        #expect(shown["bid"] as? String == row[21], "best bid")
        #expect(shown["ask"] as? String == row[24], "best ask")
        #expect(shown["mid"] as? String == row[22] || Decimal(string: shown["mid"] as? String ?? "") == Decimal(string: row[22]),
                "mid \(shown["mid"] ?? "") vs the file's \(row[22])")
    }
}
