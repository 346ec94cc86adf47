import BytebitCore
import Foundation
import Testing

/// Rows lost to the disk are loud (issue 9): a collector whose `data_dir` cannot be created says so in
/// its status file within seconds and warns in its log, and once the folder can be made again the
/// ledger records the loss as `write_failed`.
@Suite struct CollectorWriteLossTests {
    @Test func anUnwritableDataDirShowsInTheStatusTheLogAndFinallyTheLedger() throws {
        let directory = try makeTemporaryDirectory("unwritable")
        var passed = false
        defer { if passed { try? FileManager.default.removeItem(at: directory) } }
        // `blocker` is a regular file, so `blocker/data` cannot be created — even by root, where a
        // 0555 folder would not stop writes.
        let blocker = directory.appendingPathComponent("blocker")
        try Data("not a folder\n".utf8).write(to: blocker)
        let simulator = try SimulatorProcess(in: directory, arguments: ["--rate", "100"])
        defer { simulator.stop() }
        let config = try writeConfig(in: directory, url: simulator.url, markets: "  - BTC-USD").path
        try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "data_dir: data", with: "data_dir: blocker/data")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let statusFile = directory.appendingPathComponent("BTC-USD.status.json").path
        let collector = try CollectorProcess(
            config: URL(fileURLWithPath: config), pair: "BTC-USD", in: directory,
            extraArguments: ["--status-file", statusFile])
        defer { collector.child.killIfRunning() }
        let market = RecordedMarket(dataDirectory: blocker.appendingPathComponent("data"), pair: "BTC-USD")

        var status: CollectorStatus?
        try waitUntil("the status file to show the loss", seconds: 5, pollEvery: 0.1) {
            status = try? CollectorStatus.read(from: statusFile)
            return status?.isLosingRows == true && (status?.rowsLost ?? 0) > 0
        }
        #expect(status?.state == "losing_rows")
        #expect(status?.lastWriteError?.contains("blocker") == true, "\(status?.lastWriteError ?? "no error")")
        #expect(status?.lastWriteErrorAt != nil)
        try waitUntil("a warning in the log", seconds: 5, pollEvery: 0.1) {
            collector.child.stderr.split(separator: "\n").contains {
                $0.contains(" warning ") && $0.contains("rows are being lost")
            }
        }
        #expect(collector.child.stderr.contains("data_dir="), "the start line names the data folder")

        // The operator fixes it: the folder can be created again, and writing resumes by itself.
        try FileManager.default.removeItem(at: blocker)
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        try waitUntil("write_failed in the ledger", seconds: 20, pollEvery: 0.1) {
            ((try? market.events()) ?? []).contains { $0.name == "write_failed" }
        }
        try waitUntil("the status file to show writing again", seconds: 5, pollEvery: 0.1) {
            status = try? CollectorStatus.read(from: statusFile)
            return status?.isLosingRows == false
        }
        #expect(status?.state != "losing_rows")
        #expect((status?.rowsLost ?? 0) > 0, "the loss stays counted")
        #expect(try collector.stop() == 0)
        let lost = try #require(try market.events().first { $0.name == "write_failed" })
        #expect(lost.detail.contains("rows lost"), "write_failed detail: \(lost.detail)")
        passed = true
    }
}
