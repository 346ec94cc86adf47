import BytebitCore
import Foundation
import Testing

/// Trouble made loud (issue 9): `bytebit status` with a broken config, rows lost, markets that
/// cannot connect, held reasons, and where the start line says data goes.
@Suite struct SupervisorTroubleTests {
    @Test func statusAnswersFromTheRunFolderWhenTheConfigIsBrokenAndShowsTheHeldReason() throws {
        let harness = try SupervisorHarness("sup-broken-config")
        try harness.writeConfig(["BTC-USD", "ETH-USD"])
        try Data().write(to: harness.folder.appendingPathComponent("exit78-ETH-USD"))
        try harness.start(collectorPath: try harness.writeStandInCollector())
        try harness.waitUntilRunning(["BTC-USD"])
        try waitUntil("ETH-USD held") {
            harness.state()?.markets.first { $0.market == "ETH-USD" }?.phase == .held
        }
        // The start line says where data and logs go.
        let started = try #require(harness.logLines(containing: "supervisor started").first)
        #expect(started.contains("data_dir=\(harness.folder.path)/data"))
        #expect(started.contains("log_file=\(harness.logs.path)/bytebit.log"))

        // An edit that breaks the file, and a reload that rejects it.
        try Data("markets:\n  - pair: BTC-USD\n    depth: 50\n".utf8).write(to: URL(fileURLWithPath: harness.configPath))
        harness.supervisor?.signal(SIGHUP)
        try waitUntil("the reload rejected") { !harness.logLines(containing: "reload rejected").isEmpty }
        let (code, output) = try harness.status()
        #expect(code == 0, "\(output)")
        #expect(output.contains("the config cannot be used: "))
        #expect(output.contains("markets[0].depth: found 50"))
        #expect(output.contains("showing the run folder \(harness.runDirectory.path) (from the default log_dir)"))
        #expect(output.contains("1/2 markets running"))
        #expect(output.contains("ETH-USD held: \(ChildExit.exited(78)): config error on purpose"), "\(output)")
        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.waitForSupervisorExit() == 0)
    }

    @Test func rowsLostShowInStatusAndInSystemdsStatusLine() throws {
        let harness = try SupervisorHarness("sup-loss")
        try harness.writeConfig(["BTC-USD", "ETH-USD"])
        try Data().write(to: harness.folder.appendingPathComponent("losing-ETH-USD"))
        let listener = try NotifyListener(path: harness.folder.appendingPathComponent("notify.sock").path)
        defer { listener.stop() }
        try harness.start(
            collectorPath: try harness.writeStandInCollector(),
            arguments: ["--status-interval", "400ms", "--progress-interval", "1s"],
            environment: ["NOTIFY_SOCKET": listener.path])
        try harness.waitUntilRunning(["BTC-USD", "ETH-USD"])
        var output = ""
        try waitUntil("status shows the loss", seconds: 5) {
            output = (try? harness.status().output) ?? ""
            return output.contains("ETH-USD cannot write")
        }
        let rows = output.split(separator: "\n").map { $0.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) } }
        let eth = try #require(rows.first { $0.first == "ETH-USD" })
        let btc = try #require(rows.first { $0.first == "BTC-USD" })
        #expect(eth[1] == "losing rows", "a market that cannot write is not live: \(output)")
        #expect((Int(eth.last ?? "") ?? 0) > 0)
        #expect(btc[1] == "live" && btc.last == "0")
        #expect(output.contains("No space left on device"))
        try waitUntil("STATUS= counts the loss", seconds: 10) {
            listener.messages.contains { $0.hasPrefix("STATUS=") && $0.contains("rows lost (losing rows now: ETH-USD)") }
        }
        // The progress line: rows are flowing, and some are lost.
        try waitUntil("a progress line counting the loss", seconds: 10) {
            harness.logLines(containing: "notice", "rows written in the last", "rows lost").contains { line in
                !line.contains(": 0 book")
            }
        }
        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.waitForSupervisorExit() == 0)
    }

    @Test func anUnreachableExchangeIsWarnedAboutWithTheMarketsNamed() throws {
        let harness = try SupervisorHarness("sup-unreachable")
        let port = try closedPort()
        try harness.writeConfig(
            ["BTC-USD", "ETH-USD"], extra: "log_level: warning\nkraken:\n  url: ws://127.0.0.1:\(port)/v2\n")
        try harness.start(collectorPath: nil, arguments: ["--duration", "12s", "--status-interval", "1s"])
        #expect(try harness.waitForSupervisorExit(seconds: 40) == 0)
        let warnings = harness.logLines(containing: "warning", "0 of 2 markets connected")
        #expect(!warnings.isEmpty, "\(harness.log)")
        #expect(warnings.allSatisfy { $0.contains("BTC-USD: ") && $0.contains("ETH-USD: ") })
        #expect(harness.logLines(containing: " info ").isEmpty, "log_level: warning hides info lines")
    }

    /// A TCP port on 127.0.0.1 that nothing listens on: bound, read back and closed.
    private func closedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
