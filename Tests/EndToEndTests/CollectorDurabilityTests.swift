import BytebitCore
import Foundation
import Testing

/// Interval mode, midnight, crashes and a full disk, with the built executables.
@Suite struct CollectorDurabilityTests {
    @Test func intervalModeWritesOneRowPerAlignedTickShowingTheBookOfThatInstant() throws {
        let directory = try makeTemporaryDirectory("interval")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "200"])
        let config = try writeConfig(
            in: directory, url: simulator.url,
            defaults: "  depth: 25\n  levels: 5\n  mode: interval\n  interval: 100ms", markets: "  - BTC-USD")
        let collector = try CollectorProcess(config: config, pair: "BTC-USD", in: directory)
        try collector.waitForRows(orderbook: 30)
        #expect(try collector.stop() == 0)
        simulator.stop()

        let rows = try collector.market.rows("orderbook")
        let ticks = try rows.map { try #require(UTCTimestamp($0[0])).microseconds }
        #expect(ticks.allSatisfy { $0 % 100_000 == 0 }, "ticks not aligned to 100 ms")
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0 < $1 }, "ticks not increasing")
        let states = try simulator.bookTruth().values.filter { $0.symbol == "BTC/USD" && $0.depth == 25 }
        for (row, tick) in zip(rows, ticks) {
            var cells = Array(row.dropFirst(2))
            cells.remove(at: 10)
            // The book at the tick is the last state received before it: sent at most a second earlier.
            let candidates = try states.filter { state in
                let sent = try #require(UTCTimestamp(state.timestamp)).microseconds
                return sent <= tick && sent >= tick - 1_000_000
            }
            #expect(candidates.contains { $0.expectedCells(levels: 5) == cells }, "row at \(row[0]) is no recent true book")
            #expect(try #require(UTCTimestamp(row[1])).microseconds <= tick, "received_at after the tick")
        }
        passed = true
    }

    @Test func rowsGoToTheFileOfTheirUTCDateAcrossMidnight() throws {
        let directory = try makeTemporaryDirectory("midnight")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let simulator = try SimulatorProcess(
            in: directory, arguments: ["--rate", "200", "--start", "2026-11-21T23:59:58.500000Z"])
        let config = try writeConfig(
            in: directory, url: simulator.url, defaults: "  depth: 10\n  levels: 2", markets: "  - BTC-USD",
            extra: "compress: false")
        let collector = try CollectorProcess(config: config, pair: "BTC-USD", in: directory)
        try waitUntil("order book files on both sides of midnight", seconds: 30, pollEvery: 0.1) {
            (try collector.market.files("orderbook")).count == 2 && collector.market.count("orderbook") > 600
        }
        #expect(try collector.stop() == 0)
        simulator.stop()

        for kind in ["orderbook", "trades"] {
            let files = try collector.market.files(kind)
            #expect(files.map { String($0.lastPathComponent.suffix(14).prefix(10)) } == ["2026-11-21", "2026-11-22"],
                    "\(kind) files: \(files.map(\.lastPathComponent))")
            for file in files {
                let date = String(file.lastPathComponent.suffix(14).prefix(10))
                let rows = try RecordedMarket.rows(of: file)
                #expect(!rows.isEmpty)
                #expect(rows.allSatisfy { $0[0].hasPrefix(date) }, "a row in \(file.lastPathComponent) is of another day")
            }
        }
        try RecordingChecks.orderBookRowsMatchTruth(
            try collector.market.rows("orderbook"), truth: try simulator.bookTruth(), symbol: "BTC/USD", depth: 10, levels: 2)
        passed = true
    }

    @Test func killMinus9MidWriteThenRestartLeavesNoTornRowAndNoDuplicateTrade() throws {
        let directory = try makeTemporaryDirectory("kill9")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "1000"])
        let config = try writeConfig(
            in: directory, url: simulator.url, defaults: "  depth: 10\n  levels: 10", markets: "  - BTC-USD")
        let first = try CollectorProcess(config: config, pair: "BTC-USD", in: directory, label: "collector-1")
        try first.waitForRows(orderbook: 500, trades: 100)
        first.child.signal(SIGKILL)
        _ = try first.child.waitForExit()
        // What a power cut could leave on top of that: half a row with no newline.
        let orderBookFile = try #require(try first.market.files("orderbook").last)
        let handle = try FileHandle(forWritingTo: orderBookFile)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("2026-11-22T00:00:00.000000Z,2026-11-22T00:00:00.0".utf8))
        try handle.close()
        let tradesBefore = first.market.count("trades")

        let second = try CollectorProcess(config: config, pair: "BTC-USD", in: directory, label: "collector-2")
        try second.waitForRows(orderbook: first.market.count("orderbook") + 300, trades: tradesBefore + 50)
        #expect(try second.stop() == 0)
        simulator.stop()

        let rows = try second.market.rows("orderbook")   // throws on a torn row or a wrong cell count
        #expect(!rows.contains { $0[0] == "timestamp" }, "a second header inside the file")
        try RecordingChecks.orderBookRowsMatchTruth(
            rows, truth: try simulator.bookTruth(), symbol: "BTC/USD", depth: 10, levels: 10)
        try RecordingChecks.tradesMatchTruth(try second.market.rows("trades"), truth: try simulator.tradeTruth())
        let events = try second.market.events()
        let starts = events.filter { $0.name == "started" }
        #expect(starts.count == 2)
        #expect(starts.last?.detail.contains("the previous run ended without stopping") == true,
                "the restart does not say the previous run was killed: \(starts.last?.detail ?? "")")
        passed = true
    }

    @Test func theCollectorStopsCleanlyWhenItsSupervisorsPipeCloses() throws {
        let directory = try makeTemporaryDirectory("stdin-eof")
        defer { try? FileManager.default.removeItem(at: directory) }
        let simulator = try SimulatorProcess(in: directory)
        let config = try writeConfig(in: directory, url: simulator.url, markets: "  - BTC-USD")
        let collector = try CollectorProcess(config: config, pair: "BTC-USD", in: directory)
        try collector.waitForEvent("snapshot")
        collector.child.closeStdin()
        #expect(try collector.child.waitForExit(seconds: 20) == 0)
        let last = try #require(try collector.market.events().last)
        #expect(last.name == "stopped")
        #expect(collector.child.stderr.contains("stdin closed"))
    }

    @Test func aFullDiskLosesRowsWholeRecordsTheGapAndRecoversByItself() throws {
        let directory = try makeTemporaryDirectory("fulldisk")
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=256k", "tmpfs", data.path]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "cannot mount a tmpfs here (needs root): the full-disk test cannot run")
        defer {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
            unmount.arguments = ["-l", data.path]
            try? unmount.run()
            unmount.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }
        let filler = data.appendingPathComponent("filler")
        try Data(count: 200 * 1024).write(to: filler)

        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "400"])
        let config = try writeConfig(
            in: directory, url: simulator.url, defaults: "  depth: 10\n  levels: 10", markets: "  - BTC-USD")
        let collector = try CollectorProcess(config: config, pair: "BTC-USD", in: directory)
        try waitUntil("the disk to fill up", seconds: 30, pollEvery: 0.1) {
            collector.child.stderr.contains("No space left on device")
        }
        let rowsWhileFull = collector.market.count("orderbook")
        try FileManager.default.removeItem(at: filler)
        try collector.waitForEvent("write_failed")
        try collector.waitForRows(orderbook: rowsWhileFull + 200)
        #expect(try collector.stop() == 0)
        simulator.stop()

        let rows = try collector.market.rows("orderbook")  // whole rows only
        try RecordingChecks.orderBookRowsMatchTruth(
            rows, truth: try simulator.bookTruth(), symbol: "BTC/USD", depth: 10, levels: 10)
        let lost = try #require(try collector.market.events().first { $0.name == "write_failed" })
        #expect(lost.detail.contains("No space left on device"), "write_failed detail: \(lost.detail)")
        // The book stayed in sync through the outage: no resync was needed.
        #expect(try collector.market.events().filter { $0.name == "snapshot" }.count == 1)
    }
}
