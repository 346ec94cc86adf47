import Foundation
import Testing

/// Runs the built `bytebit check` and asserts its exit codes and output (SPEC §2, §5).
@Suite struct CheckCommandTests {
    /// Runs the built `bytebit` in `folder` (relative config paths resolve there).
    func runBytebit(_ arguments: [String], in folder: URL) throws -> CommandResult {
        let logs = try makeTemporaryDirectory("check-output")
        defer { try? FileManager.default.removeItem(at: logs) }
        return try runProduct("bytebit", arguments, in: logs, workingDirectory: folder)
    }

    func temporaryFolder() throws -> URL {
        try makeTemporaryDirectory("check")
    }

    @Test func validConfigPrintsTheEffectiveSettingsAndExitsZero() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = "markets:\n  - XBT-USD\n  - pair: ETH-USD\n    depth: 100\n    levels: 10\n"
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("config.yaml"))
        let outcome = try runBytebit(["check"], in: folder)
        #expect(outcome.status == 0)
        #expect(outcome.stderr.isEmpty)
        #expect(outcome.stdout.contains("BTC-USD  BTC/USD        25     25      update"))
        #expect(outcome.stdout.contains("ETH-USD  ETH/USD        100    10      update"))
        #expect(outcome.stdout.contains("data_dir:        \(folder.resolvingSymlinksInPath().path)/data")
            || outcome.stdout.contains("data_dir:        \(folder.path)/data"))
    }

    @Test func invalidConfigPrintsTheExactErrorAndExits78() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("markets:\n  - BTC-USD\n  - pair: ETH-USD\n    depth: 50\n".utf8)
            .write(to: folder.appendingPathComponent("bad.yaml"))
        let outcome = try runBytebit(["check", "--config", "bad.yaml"], in: folder)
        #expect(outcome.status == 78)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr
            == "bad.yaml:4:12: markets[1].depth: found 50, expected one of 10, 25, 100, 500, 1000\n")
    }

    @Test func missingDefaultConfigExits78() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try runBytebit(["check"], in: folder)
        #expect(outcome.status == 78)
        #expect(outcome.stderr.hasPrefix("config.yaml: no such config file"))
    }

    @Test(arguments: [["check", "--bogus"], ["check", "--config"], ["frobnicate"]])
    func usageErrorsExit64(arguments: [String]) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try runBytebit(arguments, in: folder)
        #expect(outcome.status == 64)
    }

    @Test func theExampleConfigPasses() throws {
        let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let outcome = try runBytebit(["check", "--config", "config.yaml.example"], in: repositoryRoot)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("DOGE-USD"))
    }
}
