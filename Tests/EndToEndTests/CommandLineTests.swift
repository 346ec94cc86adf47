import BytebitCore
import Foundation
import Testing

/// The command line around the commands: `--version`, subcommand usage errors, folder checks.
@Suite struct CommandLineTests {
    private func run(_ product: String, _ arguments: [String], in folder: URL) throws -> CommandResult {
        let output = try makeTemporaryDirectory("cli-output")
        defer { try? FileManager.default.removeItem(at: output) }
        return try runProduct(product, arguments, in: output, workingDirectory: folder)
    }

    @Test(arguments: ["bytebit", "collector"])
    func versionPrintsTheRelease(product: String) throws {
        let folder = try makeTemporaryDirectory("cli-version")
        let outcome = try run(product, ["--version"], in: folder)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == BytebitVersion.current)
    }

    @Test(arguments: [
        (["run", "--duration", "bogus"], "Usage: bytebit run "),
        (["run", "--grace-period", "5x"], "Usage: bytebit run "),
        (["status", "--bogus"], "Usage: bytebit status "),
        (["check", "--config"], "Usage: bytebit check "),
    ])
    func aSubcommandsUsageErrorPrintsThatSubcommandsUsage(arguments: [String], usage: String) throws {
        let folder = try makeTemporaryDirectory("cli-usage")
        let outcome = try run("bytebit", arguments, in: folder)
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains(usage), "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("<subcommand>"), "not the top-level usage: \(outcome.stderr)")
    }

    @Test func aRunTimeUsageErrorOfViewPrintsViewsUsage() throws {
        let folder = try makeTemporaryDirectory("cli-view-usage")
        try Data("markets:\n  - BTC-USD\n".utf8).write(to: folder.appendingPathComponent("config.yaml"))
        let outcome = try run("bytebit", ["view", "--date", "2026-13-45", "BTC-USD"], in: folder)
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("Usage: bytebit view "), "\(outcome.stderr)")
    }

    @Test(arguments: ["data_dir", "log_dir"])
    func checkFailsWith73WhenAFolderCannotBeCreated(key: String) throws {
        let folder = try makeTemporaryDirectory("cli-check-73")
        // A path under a regular file fails even for root, who ignores 0555.
        try Data("not a folder".utf8).write(to: folder.appendingPathComponent("afile"))
        try Data("\(key): afile/sub\nmarkets:\n  - BTC-USD\n".utf8).write(to: folder.appendingPathComponent("config.yaml"))
        let outcome = try run("bytebit", ["check"], in: folder)
        #expect(outcome.status == 73, "\(outcome)")
        #expect(outcome.stderr.contains("\(key) "), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("afile is not a folder"), "\(outcome.stderr)")
    }

    @Test func checkCreatesMissingFolders() throws {
        let folder = try makeTemporaryDirectory("cli-check-create")
        try Data("data_dir: a/b/data\nlog_dir: c/logs\nmarkets:\n  - BTC-USD\n".utf8)
            .write(to: folder.appendingPathComponent("config.yaml"))
        let outcome = try run("bytebit", ["check"], in: folder)
        #expect(outcome.status == 0, "\(outcome)")
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("a/b/data").path, isDirectory: &isFolder) && isFolder.boolValue)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("c/logs").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("a/b/data").path)
        #expect(leftovers.isEmpty, "the write check leaves nothing behind: \(leftovers)")
    }
}
