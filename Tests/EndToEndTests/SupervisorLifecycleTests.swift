import BytebitCore
import Foundation
import Testing

/// `bytebit run` as a process, with a stand-in collector (a script honouring the collector contract),
/// so that restart, hang, reload, signal and notify handling are pinned down independently of the
/// real collector (SupervisorCollectorTests run the real one against kraken-sim).
@Suite(.serialized) struct SupervisorLifecycleTests {
    @Test func anInvalidConfigStartsNothingAndExits78() throws {
        let harness = try SupervisorHarness("sup-invalid")
        try harness.writeConfig(["BTC-USD", "pair: BTC-USD"])
        try harness.start(collectorPath: try harness.writeStandInCollector())
        #expect(try harness.waitForSupervisorExit() == 78)
        #expect(harness.supervisor?.stderr.contains("config.yaml") == true)
        #expect(!FileManager.default.fileExists(atPath: harness.runDirectory.stateFile))
        #expect(!FileManager.default.fileExists(atPath: harness.folder.appendingPathComponent("env-BTC-USD").path))
    }

    @Test func aKilledCollectorIsRestartedAndTheOtherKeepsRunning() throws {
        let harness = try SupervisorHarness("sup-kill9")
        try harness.writeConfig(["BTC-USD", "ETH-USD"])
        try harness.start(collectorPath: try harness.writeStandInCollector())
        let before = try harness.waitUntilRunning(["BTC-USD", "ETH-USD"])
        let victim = try #require(before["BTC-USD"])
        kill(victim, SIGKILL)
        var after: [String: Int32] = [:]
        try waitUntil("BTC-USD restarted") {
            after = try harness.waitUntilRunning(["BTC-USD", "ETH-USD"])
            return after["BTC-USD"] != victim
        }
        #expect(after["ETH-USD"] == before["ETH-USD"])
        #expect(!harness.logLines(containing: "collector exited", "market=BTC-USD", "killed by signal 9").isEmpty)
        #expect(!harness.logLines(containing: "collector started", "market=BTC-USD", "pid=\(after["BTC-USD"] ?? 0)").isEmpty)
        // The row file continues: rows from both processes, every row whole.
        try waitUntil("rows from the new BTC-USD process") {
            harness.standInRows("BTC-USD").contains { $0.pid == "\(after["BTC-USD"] ?? 0)" }
        }
        let rows = harness.standInRows("BTC-USD")
        #expect(rows.contains { $0.pid == "\(victim)" })
        #expect(rows.allSatisfy { $0.time != nil && !$0.pid.isEmpty && !$0.value.isEmpty })
        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.waitForSupervisorExit() == 0)
    }

    @Test func aCrashingCollectorBacksOffAndRecoversWhenTheCauseGoesAway() throws {
        let harness = try SupervisorHarness("sup-backoff")
        try harness.writeConfig(["BTC-USD", "ETH-USD"])
        let crashFlag = harness.folder.appendingPathComponent("crash-ETH-USD")
        try Data().write(to: crashFlag)
        try harness.start(collectorPath: try harness.writeStandInCollector())
        let steady = try harness.waitUntilRunning(["BTC-USD"])
        try waitUntil("four restarts of ETH-USD", seconds: 40) {
            harness.logLines(containing: "restarting after a delay", "market=ETH-USD").count >= 4
        }
        let delays = harness.logLines(containing: "restarting after a delay", "market=ETH-USD").compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("restart.delay_ms=") }
                .flatMap { Int($0.dropFirst("restart.delay_ms=".count)) }
        }
        #expect(delays.count >= 4)
        // 200 ms doubling with ±20 % jitter: each delay is longer than the one before.
        for (earlier, later) in zip(delays, delays.dropFirst()) where later < 5_000 {
            #expect(later > earlier, "delays \(delays)")
        }
        #expect(!harness.logLines(containing: "[ETH-USD] crashing on purpose").isEmpty)
        try FileManager.default.removeItem(at: crashFlag)
        try harness.waitUntilRunning(["ETH-USD"], seconds: 30)
        #expect(harness.pid("BTC-USD") == steady["BTC-USD"])
        let status = try harness.status()
        #expect(status.code == 0)
        let ethRow = status.output.split(separator: "\n").first { $0.hasPrefix("ETH-USD") }.map(String.init) ?? ""
        #expect(ethRow.contains("live"))
        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.waitForSupervisorExit() == 0)
    }

    @Test func aStoppedCollectorIsDetectedAndReplaced() throws {
        let harness = try SupervisorHarness("sup-hung")
        try harness.writeConfig(["BTC-USD"])
        try harness.start(collectorPath: try harness.writeStandInCollector())
        let hung = try #require(try harness.waitUntilRunning(["BTC-USD"])["BTC-USD"])
        kill(hung, SIGSTOP)
        try waitUntil("a replacement for the stopped collector", seconds: 30) {
            guard let pid = harness.pid("BTC-USD") else { return false }
            return pid != hung
        }
        #expect(!harness.logLines(containing: "collector hung", "market=BTC-USD", "pid=\(hung)").isEmpty)
        try waitUntil("the stopped collector to be gone") { !SupervisorHarness.isAlive(hung) }
        try harness.waitUntilRunning(["BTC-USD"])
        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.waitForSupervisorExit() == 0)
    }

    @Test func reloadChangesOnlyTheMarketsThatChanged() throws {
        let harness = try SupervisorHarness("sup-reload")
        try harness.writeConfig(["BTC-USD", "ETH-USD", "SOL-USD"])
        try harness.start(collectorPath: try harness.writeStandInCollector())
        let before = try harness.waitUntilRunning(["BTC-USD", "ETH-USD", "SOL-USD"])
        try harness.writeConfig(["BTC-USD", "pair: ETH-USD\n    depth: 100\n    levels: 10", "ADA-EUR"])
        harness.supervisor?.signal(SIGHUP)
        var after: [String: Int32] = [:]
        try waitUntil("the reload to be applied") {
            guard let state = harness.state(), !state.markets.contains(where: { $0.market == "SOL-USD" }) else {
                return false
            }
            after = try harness.waitUntilRunning(["BTC-USD", "ETH-USD", "ADA-EUR"])
            return after["ETH-USD"] != before["ETH-USD"]
        }
        #expect(after["BTC-USD"] == before["BTC-USD"])
        #expect(!harness.logLines(containing: "diff=added ADA-EUR; removed SOL-USD; changed ETH-USD; unchanged 1").isEmpty)
        #expect(harness.standInRows("SOL-USD").last?.value == "stopped")
        #expect(harness.standInRows("ETH-USD").contains { $0.value == "stopped" && $0.pid == "\(before["ETH-USD"] ?? 0)" })
        // The untouched market wrote on through the reload: no gap longer than a few beats.
        try waitUntil("BTC-USD rows after the reload") {
            (harness.standInRows("BTC-USD").last?.time ?? UTCTimestamp(microsecondsSince1970: 0))
                > (harness.standInRows("ADA-EUR").first?.time ?? UTCTimestamp(microsecondsSince1970: .max))
        }
        let times = harness.standInRows("BTC-USD").compactMap(\.time)
        let longestGap = zip(times, times.dropFirst()).map { $1.microseconds - $0.microseconds }.max() ?? 0
        #expect(longestGap < 1_000_000, "longest gap \(longestGap) µs")
        #expect(Set(harness.standInRows("BTC-USD").map(\.pid)) == ["\(before["BTC-USD"] ?? 0)"])
        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.waitForSupervisorExit() == 0)
    }

    @Test func anInvalidConfigOnReloadIsLoggedAndIgnored() throws {
        let harness = try SupervisorHarness("sup-badreload")
        try harness.writeConfig(["BTC-USD", "ETH-USD"])
        try harness.start(collectorPath: try harness.writeStandInCollector())
        let before = try harness.waitUntilRunning(["BTC-USD", "ETH-USD"])
        try harness.writeConfig(["BTC-USD", "pair: ETH-USD\n    depth: 7"])
        harness.supervisor?.signal(SIGHUP)
        try waitUntil("the rejection in the log") { !harness.logLines(containing: "reload rejected").isEmpty }
        let rejectedAt = SystemClock().now()
        try waitUntil("a state written after the rejection") {
            (harness.state()?.updatedAt ?? rejectedAt) > rejectedAt
        }
        #expect(try harness.waitUntilRunning(["BTC-USD", "ETH-USD"]) == before)
        #expect(!harness.logLines(containing: "reload rejected", "depth").isEmpty)
        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.waitForSupervisorExit() == 0)
    }

    @Test func aConfigurationErrorExitIsHeldUntilTheMarketChanges() throws {
        let harness = try SupervisorHarness("sup-held")
        try harness.writeConfig(["BTC-USD", "ETH-USD"])
        let flag = harness.folder.appendingPathComponent("exit78-ETH-USD")
        try Data().write(to: flag)
        try harness.start(collectorPath: try harness.writeStandInCollector())
        try waitUntil("ETH-USD held") {
            harness.state()?.markets.first { $0.market == "ETH-USD" }?.phase == .held
        }
        #expect(harness.logLines(containing: "collector started", "market=ETH-USD").count == 1)
        #expect(!harness.logLines(containing: "not restarted until its configuration changes", "market=ETH-USD").isEmpty)
        try FileManager.default.removeItem(at: flag)
        try harness.writeConfig(["BTC-USD", "pair: ETH-USD\n    levels: 5"])
        harness.supervisor?.signal(SIGHUP)
        try harness.waitUntilRunning(["BTC-USD", "ETH-USD"])
        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.waitForSupervisorExit() == 0)
    }

    @Test func sigtermStopsEveryCollectorAndExitsZero() throws {
        let harness = try SupervisorHarness("sup-sigterm")
        try harness.writeConfig(["BTC-USD", "ETH-USD", "SOL-USD"])
        try Data().write(to: harness.folder.appendingPathComponent("stubborn-SOL-USD"))
        try harness.start(collectorPath: try harness.writeStandInCollector(), arguments: ["--grace-period", "1s"])
        let pids = try harness.waitUntilRunning(["BTC-USD", "ETH-USD", "SOL-USD"])
        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.waitForSupervisorExit(seconds: 15) == 0)
        for pid in pids.values { #expect(!SupervisorHarness.isAlive(pid)) }
        #expect(harness.standInRows("BTC-USD").last?.value == "stopped")
        #expect(harness.standInRows("ETH-USD").last?.value == "stopped")
        #expect(!harness.logLines(containing: "did not stop within the grace period", "market=SOL-USD").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: harness.runDirectory.stateFile))
        let status = try harness.status()
        #expect(status.code == 1)
        #expect(status.output.contains("bytebit run is not running"))
    }

    @Test func collectorsExitOnTheirOwnWhenTheSupervisorIsKilled() throws {
        let harness = try SupervisorHarness("sup-orphans")
        try harness.writeConfig(["BTC-USD", "ETH-USD"])
        try harness.start(collectorPath: try harness.writeStandInCollector())
        let pids = try harness.waitUntilRunning(["BTC-USD", "ETH-USD"])
        harness.supervisor?.signal(SIGKILL)
        _ = try harness.waitForSupervisorExit()
        try waitUntil("orphaned collectors to exit", seconds: 15) {
            pids.values.allSatisfy { !SupervisorHarness.isAlive($0) }
        }
        let status = try harness.status()
        #expect(status.code == 1)
        #expect(status.output.contains("which is gone"))
    }

    @Test func speaksTheSystemdNotifyProtocolAndHidesItFromCollectors() throws {
        let harness = try SupervisorHarness("sup-notify")
        try harness.writeConfig(["BTC-USD", "ETH-USD"])
        let listener = try NotifyListener(path: harness.folder.appendingPathComponent("notify.sock").path)
        defer { listener.stop() }
        try harness.start(
            collectorPath: try harness.writeStandInCollector(),
            environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "400000"])
        try harness.waitUntilRunning(["BTC-USD", "ETH-USD"])
        try waitUntil("READY, STATUS and watchdog pets") {
            let messages = listener.messages
            return messages.contains { $0.contains("READY=1") }
                && messages.contains { $0.contains("STATUS=2/2 markets running") }
                && messages.filter { $0 == "WATCHDOG=1" }.count >= 3
        }
        let ready = try #require(listener.messages.first { $0.contains("READY=1") })
        #expect(ready.contains("STATUS="))
        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.waitForSupervisorExit() == 0)
        try waitUntil("STOPPING=1") { listener.messages.contains("STOPPING=1") }
        let environment = try String(contentsOf: harness.folder.appendingPathComponent("env-BTC-USD"), encoding: .utf8)
        let names = environment.split(separator: "\n").map(String.init)
        #expect(!names.contains("NOTIFY_SOCKET"))
        #expect(!names.contains("WATCHDOG_USEC"))
        #expect(names.contains("PATH"))
        let arguments = try String(contentsOf: harness.folder.appendingPathComponent("args-BTC-USD"), encoding: .utf8)
        #expect(arguments.split(separator: "\n").map(String.init) == [
            "--config", harness.runDirectory.configSnapshot, "--market", "BTC-USD",
            "--status-file", harness.runDirectory.statusFile(for: try #require(MarketPair(parsing: "BTC-USD"))),
            "--connect-ledger", harness.runDirectory.connectionLedger,
        ])
    }

    @Test func statusShowsEveryMarketOfTheRunningSupervisor() throws {
        let harness = try SupervisorHarness("sup-status")
        try harness.writeConfig(["BTC-USD", "ETH-USD"])
        try harness.start(collectorPath: try harness.writeStandInCollector())
        let pids = try harness.waitUntilRunning(["BTC-USD", "ETH-USD"])
        let status = try harness.status()
        #expect(status.code == 0)
        let lines = status.output.split(separator: "\n").map(String.init)
        let supervisorPID = try #require(harness.supervisor?.pid)
        #expect(lines.first?.hasPrefix("bytebit run: pid \(supervisorPID), up ") == true)
        #expect(lines.first?.hasSuffix("config \(harness.configPath)") == true)
        #expect(lines.dropFirst().first == "2/2 markets running, 0 restarts")
        #expect(lines.dropFirst(2).first?.hasPrefix("MARKET") == true)
        for (market, pid) in pids {
            let cells = try #require(lines.first { $0.hasPrefix(market) }).split(separator: " ").map(String.init)
            #expect(cells[1] == "live")
            #expect(cells[2] == "\(pid)")
            #expect(cells[4] == "0")
            #expect((Int(cells[6]) ?? 0) > 0, "book rows in \(cells)")
        }
        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.waitForSupervisorExit() == 0)
    }

    @Test func durationStopsTheRunCleanly() throws {
        let harness = try SupervisorHarness("sup-duration")
        try harness.writeConfig(["BTC-USD"])
        try harness.start(collectorPath: try harness.writeStandInCollector(), arguments: ["--duration", "2s"])
        let pid = try #require(try harness.waitUntilRunning(["BTC-USD"])["BTC-USD"])
        #expect(try harness.waitForSupervisorExit(seconds: 20) == 0)
        #expect(!SupervisorHarness.isAlive(pid))
        #expect(!harness.logLines(containing: "duration reached", "duration=2s").isEmpty)
        #expect(harness.standInRows("BTC-USD").last?.value == "stopped")
    }

    @Test func sigusr1ReopensTheLogFileForLogrotate() throws {
        let harness = try SupervisorHarness("sup-logrotate")
        try harness.writeConfig(["BTC-USD"])
        try harness.start(collectorPath: try harness.writeStandInCollector())
        try harness.waitUntilRunning(["BTC-USD"])
        let current = harness.logs.appendingPathComponent("bytebit.log")
        let rotated = harness.logs.appendingPathComponent("bytebit.log.1")
        try FileManager.default.moveItem(at: current, to: rotated)
        harness.supervisor?.signal(SIGUSR1)
        try waitUntil("a fresh bytebit.log") { !harness.logLines(containing: "log file reopened").isEmpty }
        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.waitForSupervisorExit() == 0)
        #expect(!harness.logLines(containing: "supervisor stopped").isEmpty)
        let old = try String(contentsOf: rotated, encoding: .utf8)
        #expect(old.contains("supervisor started"))
        #expect(!old.contains("supervisor stopped"))
    }

    @Test func aSecondSignalKillsEverythingAtOnce() throws {
        let harness = try SupervisorHarness("sup-second-signal")
        try harness.writeConfig(["BTC-USD"])
        try Data().write(to: harness.folder.appendingPathComponent("stubborn-BTC-USD"))
        try harness.start(collectorPath: try harness.writeStandInCollector(), arguments: ["--grace-period", "60s"])
        let pid = try #require(try harness.waitUntilRunning(["BTC-USD"])["BTC-USD"])
        harness.supervisor?.signal(SIGTERM)
        try waitUntil("the first signal to be handled") {
            harness.state()?.markets.first?.phase == .stopping
        }
        harness.supervisor?.signal(SIGINT)
        #expect(try harness.waitForSupervisorExit(seconds: 10) == 1)
        try waitUntil("the stubborn collector to be killed", seconds: 10) { !SupervisorHarness.isAlive(pid) }
        #expect(!harness.logLines(containing: "second signal: killing every collector now").isEmpty)
    }

    @Test func aSecondSupervisorOnTheSameFolderRefusesToStart() throws {
        let harness = try SupervisorHarness("sup-twice")
        try harness.writeConfig(["BTC-USD"])
        let standIn = try harness.writeStandInCollector()
        try harness.start(collectorPath: standIn)
        let pid = try #require(try harness.waitUntilRunning(["BTC-USD"])["BTC-USD"])
        let second = try ChildProcess(
            "bytebit", arguments: ["run", "--config", harness.configPath, "--collector-path", standIn],
            logDirectory: harness.folder, label: "second-supervisor")
        #expect(try second.waitForExit() == 1)
        #expect(second.stderr.contains("another `bytebit run` already uses \(harness.runDirectory.path); stop it first"))
        #expect(!second.stderr.contains("writable"), "a held lock is not a permissions problem")
        #expect(harness.state() != nil)
        #expect(try harness.waitUntilRunning(["BTC-USD"])["BTC-USD"] == pid)
        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.waitForSupervisorExit() == 0)
    }

    @Test func notifiesAnAbstractNamespaceSocket() throws {
        let harness = try SupervisorHarness("sup-notify-abstract")
        try harness.writeConfig(["BTC-USD"])
        let listener = try NotifyListener(path: "@bytebit-test-\(UUID().uuidString)")
        defer { listener.stop() }
        try harness.start(
            collectorPath: try harness.writeStandInCollector(), environment: ["NOTIFY_SOCKET": listener.path])
        try waitUntil("READY=1 on the abstract socket") { listener.messages.contains { $0.contains("READY=1") } }
        #expect(!listener.messages.contains("WATCHDOG=1"))
        harness.supervisor?.signal(SIGTERM)
        #expect(try harness.waitForSupervisorExit() == 0)
        try waitUntil("STOPPING=1") { listener.messages.contains("STOPPING=1") }
    }
}
