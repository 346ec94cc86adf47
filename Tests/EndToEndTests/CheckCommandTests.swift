import Foundation
import Testing

/// Runs the built `bytebit check` and asserts its exit codes and output (SPEC §2, §5).
@Suite struct CheckCommandTests {
    /// What a finished run of the binary left behind.
    struct Outcome {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// The `bytebit` binary sits next to the test bundle in the build folder.
    static func bytebitExecutable() throws -> URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let executable = testBinary.deletingLastPathComponent().appendingPathComponent("bytebit")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "no bytebit at \(executable.path)")
        return executable
    }

    func runBytebit(_ arguments: [String], in folder: URL) throws -> Outcome {
        let process = Process()
        process.executableURL = try Self.bytebitExecutable()
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + 30) == .timedOut {
            process.terminate()
            Issue.record("bytebit \(arguments.joined(separator: " ")) did not finish within 30 s")
        }
        let standardOutput = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let standardError = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return Outcome(status: process.terminationStatus, standardOutput: standardOutput, standardError: standardError)
    }

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-check-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func validConfigPrintsTheEffectiveSettingsAndExitsZero() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = "markets:\n  - XBT-USD\n  - pair: ETH-USD\n    depth: 100\n    levels: 10\n"
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("config.yaml"))
        let outcome = try runBytebit(["check"], in: folder)
        #expect(outcome.status == 0)
        #expect(outcome.standardError.isEmpty)
        #expect(outcome.standardOutput.contains("BTC-USD  BTC/USD        25     25      update"))
        #expect(outcome.standardOutput.contains("ETH-USD  ETH/USD        100    10      update"))
        #expect(outcome.standardOutput.contains("data_dir:        \(folder.resolvingSymlinksInPath().path)/data")
            || outcome.standardOutput.contains("data_dir:        \(folder.path)/data"))
    }

    @Test func invalidConfigPrintsTheExactErrorAndExits78() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("markets:\n  - BTC-USD\n  - pair: ETH-USD\n    depth: 50\n".utf8)
            .write(to: folder.appendingPathComponent("bad.yaml"))
        let outcome = try runBytebit(["check", "--config", "bad.yaml"], in: folder)
        #expect(outcome.status == 78)
        #expect(outcome.standardOutput.isEmpty)
        #expect(outcome.standardError
            == "bad.yaml:4:12: markets[1].depth: found 50, expected one of 10, 25, 100, 500, 1000\n")
    }

    @Test func missingDefaultConfigExits78() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try runBytebit(["check"], in: folder)
        #expect(outcome.status == 78)
        #expect(outcome.standardError.hasPrefix("config.yaml: no such config file"))
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
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("DOGE-USD"))
    }
}
