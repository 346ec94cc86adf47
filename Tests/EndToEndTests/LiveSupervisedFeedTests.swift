import BytebitCore
import Foundation
import Testing

/// `bytebit run` with a `live` section: the supervisor keeps `live-feed` running, the collectors
/// stream to it, `bytebit status` shows it, and a killed feed server is restarted and fed again.
@Suite struct LiveSupervisedFeedTests {
    @Test func theSupervisedFeedServesTheCollectorsAndComesBackAfterAKill() throws {
        let harness = try SupervisorHarness("live-run")
        let simulator = try SimulatorProcess(in: harness.folder, arguments: ["--rate", "200"])
        defer { simulator.stop() }
        try harness.writeConfig(["BTC-USD"], extra: """
            kraken:
              url: \(simulator.url)
            flush_interval: 100ms
            live:
              listen: 127.0.0.1:0
              token_file: live.token

            """)
        try harness.start(collectorPath: nil)
        defer {
            harness.supervisor?.signal(SIGTERM)
            _ = try? harness.waitForSupervisorExit()
        }
        try harness.waitUntilRunning(["BTC-USD"])
        // The collectors start from the run's snapshot of the configuration, `live:` section included.
        #expect(harness.logLines(containing: "configuration snapshot").isEmpty)
        let statusFile = harness.runDirectory.serviceStatusFile("live")
        func feedStatus() -> [String: Any]? {
            FileManager.default.contents(atPath: statusFile)
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        }
        func books(pid: Int32?) throws -> LiveStreamClient {
            var port = 0
            try waitUntil("the live feed's status", seconds: 30) {
                guard let status = feedStatus(), (pid == nil || status["pid"] as? Int32 != pid),
                    let listening = status["listening"] as? String, let value = Int(listening.split(separator: ":").last ?? "")
                else { return false }
                port = value
                return (status["collectors"] as? Int) == 1
            }
            let token = try String(contentsOf: harness.folder.appendingPathComponent("live.token"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let client = try LiveStreamClient(
                url: "ws://127.0.0.1:\(port)/v1/stream?token=\(token)",
                subscribe: #"{"op":"subscribe","pairs":["BTC-USD"],"channels":["book"]}"#)
            try waitUntil("books from the supervised feed", seconds: 30) { client.objects(type: "book").count >= 10 }
            return client
        }
        let first = try books(pid: nil)
        let firstPID = try #require((feedStatus()?["pid"] as? NSNumber)?.int32Value)
        try waitUntil("the client in the status file", seconds: 10) { (feedStatus()?["clients"] as? Int) == 1 }
        let status = try harness.status()
        #expect(status.output.contains("live feed ws://127.0.0.1:"), "\(status.output)")
        #expect(status.output.contains("1 clients"), "\(status.output)")
        first.stop()

        kill(firstPID, SIGKILL)
        let second = try books(pid: firstPID)
        #expect(second.objects(type: "book").allSatisfy { $0["pair"] as? String == "BTC-USD" })
        second.stop()
        let events = try RecordedMarket(dataDirectory: harness.folder.appendingPathComponent("data"), pair: "BTC-USD")
            .events().map(\.name)
        #expect(!events.contains("disconnected"), "the feed server's restart is no gap in the files: \(events)")
    }
}
