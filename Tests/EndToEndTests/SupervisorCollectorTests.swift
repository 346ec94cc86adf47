import BytebitCore
import Foundation
import Testing

/// `bytebit run` with the real `collector` children against a local `kraken-sim` (SPEC §5): files
/// continue whole across a kill -9, reloads touch only what changed, SIGTERM flushes every file.
@Suite(.serialized) struct SupervisorCollectorTests {
    /// A kraken-sim and a harness whose config points at it.
    final class SimulatedRun: @unchecked Sendable {
        let harness: SupervisorHarness
        let simulator: SimulatorProcess

        init(_ name: String, markets: [String], rate: Int = 20, simulatorArguments: [String] = []) throws {
            harness = try SupervisorHarness(name)
            simulator = try SimulatorProcess(in: harness.folder, arguments: ["--rate", "\(rate)"] + simulatorArguments)
            try writeConfig(markets)
        }

        func writeConfig(_ markets: [String]) throws {
            try harness.writeConfig(markets, extra: "kraken:\n  url: \(simulator.url)\nflush_interval: 100ms\n")
        }

        /// The files the collectors wrote for `market`.
        func recorded(_ market: String) -> RecordedMarket {
            RecordedMarket(dataDirectory: harness.folder.appendingPathComponent("data"), pair: market)
        }

        /// Starts `bytebit run` with the real collector next to it (or `collectorPath`).
        func start(hangTimeout: String = "15s", collectorPath: String? = nil) throws {
            try harness.start(collectorPath: collectorPath, arguments: ["--hang-timeout", hangTimeout])
        }

        /// A wrapper that fails at once while `crash-PAIR` exists in the test folder, and otherwise
        /// becomes the real collector (exec keeps the pid the supervisor watches).
        func writeCrashingWrapper() throws -> String {
            let path = harness.folder.appendingPathComponent("crashing-collector").path
            let script = """
                #!/bin/sh
                market=""
                previous=""
                for argument in "$@"; do
                    [ "$previous" = "--market" ] && market="$argument"
                    previous="$argument"
                done
                if [ -e "\(harness.folder.path)/crash-$market" ]; then
                    echo "cannot start: crash-$market is present" >&2
                    exit 1
                fi
                exec "\(BuiltProduct.path("collector"))" "$@"

                """
            try Data(script.utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o755)
            return path
        }

        /// The event names of `market`'s ledger; a torn or malformed file reads as no events.
        func events(_ market: String) -> [String] {
            ((try? recorded(market).events()) ?? []).map(\.name)
        }

        /// The `received_at` of every order book row of `market`.
        func bookReceiveTimes(_ market: String) -> [UTCTimestamp] {
            ((try? recorded(market).rows("orderbook")) ?? []).compactMap { $0.count > 1 ? UTCTimestamp($0[1]) : nil }
        }

        /// Waits until the collector of `market` reports order book rows written.
        func waitForRows(_ market: String, pid: Int32? = nil, seconds: Double = 40) throws {
            try waitUntil("\(market) to write order book rows", seconds: seconds) {
                guard let status = try? CollectorStatus.read(
                    from: "\(harness.runDirectory.marketsDirectory)/\(market).json")
                else { return false }
                return status.rowsToday.orderbook > 0 && (pid == nil || status.pid == pid)
            }
        }
    }

    @Test func killedCollectorIsRestartedAndSigtermFlushesEveryFile() throws {
        let run = try SimulatedRun("sup-real-kill", markets: ["BTC-USD", "ETH-USD"])
        try run.start()
        let pids = try run.harness.waitUntilRunning(["BTC-USD", "ETH-USD"], seconds: 40)
        try run.waitForRows("BTC-USD")
        try run.waitForRows("ETH-USD")
        let status = try run.harness.status()
        #expect(status.code == 0)
        let budget = status.output.split(separator: "\n").first { $0.hasPrefix("connection attempts in the last") }
        let recent = budget?.split(separator: " ").dropFirst(7).first.flatMap { Int($0) } ?? 0
        #expect(recent >= 2 && budget?.hasSuffix("of 120 allowed") == true, "\(status.output)")
        for market in ["BTC-USD", "ETH-USD"] {
            let cells = try #require(status.output.split(separator: "\n").first { $0.hasPrefix(market) })
                .split(separator: " ").map(String.init)
            #expect(cells[2] == "\(pids[market] ?? 0)")
            #expect((Int(cells[6]) ?? 0) > 0, "book rows in \(cells)")
            #expect(cells[9] == "0", "checksum failures in \(cells)")
        }

        let victim = try #require(pids["BTC-USD"])
        let killedAt = SystemClock().now()
        kill(victim, SIGKILL)
        var restarted: Int32 = 0
        try waitUntil("BTC-USD restarted", seconds: 40) {
            restarted = run.harness.pid("BTC-USD") ?? victim
            return restarted != victim
        }
        try run.waitForRows("BTC-USD", pid: restarted)
        try waitUntil("BTC-USD rows from the new collector", seconds: 30) {
            run.bookReceiveTimes("BTC-USD").contains { $0 > killedAt }
        }
        #expect(run.harness.pid("ETH-USD") == pids["ETH-USD"])
        #expect(!run.harness.logLines(containing: "market=BTC-USD", "killed by signal 9").isEmpty)

        run.harness.supervisor?.signal(SIGTERM)
        #expect(try run.harness.waitForSupervisorExit(seconds: 30) == 0)
        for pid in [victim, restarted, pids["ETH-USD"] ?? 0] { #expect(!SupervisorHarness.isAlive(pid)) }
        for market in ["BTC-USD", "ETH-USD"] {
            #expect(throws: Never.self) { _ = try run.recorded(market).rows("orderbook") }
            #expect(throws: Never.self) { _ = try run.recorded(market).rows("trades") }
            #expect(run.events(market).last == "stopped", "events of \(market): \(run.events(market))")
        }
        // The killed collector's day file was appended to, not replaced: rows from before the kill remain.
        #expect(run.bookReceiveTimes("BTC-USD").contains { $0 < killedAt })
        // Every connection attempt went through the shared ledger, spaced by its stagger.
        let ledger = try String(contentsOfFile: run.harness.runDirectory.connectionLedger, encoding: .utf8)
        let attempts = ledger.split(separator: "\n").compactMap { Int64($0) }.sorted()
        #expect(attempts.count >= 3, "ledger \(attempts)")
        for (earlier, later) in zip(attempts, attempts.dropFirst()) {
            #expect(later - earlier >= ConnectionLedger.defaultStaggerMicroseconds)
        }
    }

    @Test func reloadRestartsOnlyChangedMarketsAndUntouchedFilesHaveNoGap() throws {
        let run = try SimulatedRun("sup-real-reload", markets: ["BTC-USD", "ETH-USD", "ETH-BTC"])
        try run.start()
        let before = try run.harness.waitUntilRunning(["BTC-USD", "ETH-USD", "ETH-BTC"], seconds: 40)
        for market in before.keys { try run.waitForRows(market) }
        let reloadedAt = SystemClock().now()
        // First an invalid file: logged, ignored, nothing restarts.
        try run.writeConfig(["BTC-USD", "pair: ETH-USD\n    depth: 7", "BTC-JPY"])
        run.harness.supervisor?.signal(SIGHUP)
        try waitUntil("the invalid config to be rejected") {
            !run.harness.logLines(containing: "reload rejected").isEmpty
        }
        #expect(try run.harness.waitUntilRunning(["BTC-USD", "ETH-USD", "ETH-BTC"]) == before)
        try run.writeConfig(["BTC-USD", "pair: ETH-USD\n    depth: 100", "BTC-JPY"])
        run.harness.supervisor?.signal(SIGHUP)
        var after: [String: Int32] = [:]
        try waitUntil("the reload to be applied", seconds: 40) {
            guard let state = run.harness.state(), !state.markets.contains(where: { $0.market == "ETH-BTC" }) else {
                return false
            }
            after = try run.harness.waitUntilRunning(["BTC-USD", "ETH-USD", "BTC-JPY"], seconds: 40)
            return after["ETH-USD"] != before["ETH-USD"]
        }
        try run.waitForRows("BTC-JPY")
        try run.waitForRows("ETH-USD", pid: after["ETH-USD"])
        #expect(after["BTC-USD"] == before["BTC-USD"])
        #expect(run.events("ETH-BTC").last == "stopped")
        let started = ((try? run.recorded("ETH-USD").events()) ?? []).filter { $0.name == "started" }
        #expect(started.count == 2)
        #expect(started.last?.detail.contains("depth 100") == true, "ETH-USD started events \(started)")
        // BTC-USD kept its connection and wrote on: no stop or disconnect, no pause in its book rows.
        let events = run.events("BTC-USD")
        #expect(!events.contains("stopped") && !events.contains("disconnected"), "BTC-USD events \(events)")
        let times = run.bookReceiveTimes("BTC-USD").filter { $0 > reloadedAt }
        #expect(times.count > 10)
        let longestGap = zip(times, times.dropFirst()).map { $1.microseconds - $0.microseconds }.max() ?? .max
        #expect(longestGap < 2_000_000, "longest gap \(longestGap) µs")
        run.harness.supervisor?.signal(SIGTERM)
        #expect(try run.harness.waitForSupervisorExit(seconds: 30) == 0)
    }

    @Test func stoppedCollectorIsReplacedAndOrphansExitWithTheirSupervisor() throws {
        let run = try SimulatedRun("sup-real-hung", markets: ["BTC-USD", "ETH-USD"])
        try run.start(hangTimeout: "4s")
        let pids = try run.harness.waitUntilRunning(["BTC-USD", "ETH-USD"], seconds: 40)
        let hung = try #require(pids["ETH-USD"])
        kill(hung, SIGSTOP)
        var replacement: Int32 = 0
        try waitUntil("a replacement for the stopped collector", seconds: 40) {
            replacement = run.harness.pid("ETH-USD") ?? hung
            return replacement != hung
        }
        #expect(!run.harness.logLines(containing: "collector hung", "market=ETH-USD").isEmpty)
        try run.waitForRows("ETH-USD", pid: replacement)
        run.harness.supervisor?.signal(SIGKILL)
        _ = try run.harness.waitForSupervisorExit()
        try waitUntil("collectors to exit without their supervisor", seconds: 20) {
            [pids["BTC-USD"] ?? 0, replacement, hung].allSatisfy { !SupervisorHarness.isAlive($0) }
        }
        #expect(throws: Never.self) { _ = try run.recorded("ETH-USD").rows("orderbook") }
    }

    @Test func crashingCollectorBacksOffAndRecoversWhenTheCauseGoesAway() throws {
        let run = try SimulatedRun("sup-real-crash", markets: ["BTC-USD", "ETH-USD"])
        let flag = run.harness.folder.appendingPathComponent("crash-ETH-USD")
        try Data().write(to: flag)
        try run.start(collectorPath: try run.writeCrashingWrapper())
        let steady = try #require(try run.harness.waitUntilRunning(["BTC-USD"], seconds: 40)["BTC-USD"])
        try waitUntil("four restarts of ETH-USD", seconds: 40) {
            run.harness.logLines(containing: "restarting after a delay", "market=ETH-USD").count >= 4
        }
        let delays = run.harness.logLines(containing: "restarting after a delay", "market=ETH-USD").compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("restart.delay_ms=") }
                .flatMap { Int($0.dropFirst("restart.delay_ms=".count)) }
        }
        for (earlier, later) in zip(delays, delays.dropFirst()) where later < 5_000 {
            #expect(later > earlier, "delays \(delays)")
        }
        #expect(!run.harness.logLines(containing: "[ETH-USD] cannot start: crash-ETH-USD is present").isEmpty)
        try FileManager.default.removeItem(at: flag)
        try run.harness.waitUntilRunning(["ETH-USD"], seconds: 40)
        try run.waitForRows("ETH-USD")
        #expect(run.harness.pid("BTC-USD") == steady)
        run.harness.supervisor?.signal(SIGTERM)
        #expect(try run.harness.waitForSupervisorExit(seconds: 30) == 0)
        #expect(run.events("ETH-USD").last == "stopped")
    }
}
