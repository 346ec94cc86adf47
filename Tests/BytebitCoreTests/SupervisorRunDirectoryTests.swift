import Foundation
import Testing
@testable import BytebitCore

/// Finding the run folder from a config file that no longer loads.
@Suite struct SupervisorRunDirectoryTests {
    private func write(_ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-rundir-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("config.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func anInvalidConfigStillNamesItsLogFolder() throws {
        let path = try write("log_dir: var/log\nmarkets:\n  - pair: BTC-USD\n    depth: 50\n")
        #expect((try? ConfigLoader.load(path: path)) == nil, "the file must be invalid for this test")
        let located = RunDirectory.locate(configPath: path)
        #expect(located.directory.path == PathResolver.folder(of: path) + "/var/log/run")
        #expect(located.source.hasPrefix("log_dir as written in"))
    }

    @Test func unreadableYAMLFallsBackToTheDefaultLogFolder() throws {
        let path = try write("log_dir: [unclosed\n")
        let located = RunDirectory.locate(configPath: path)
        #expect(located.directory.path == PathResolver.folder(of: path) + "/logs/run")
        #expect(located.source == "the default log_dir")
    }

    @Test func aMissingFileFallsBackToTheDefaultLogFolder() {
        let located = RunDirectory.locate(configPath: "/nonexistent-bytebit/config.yaml")
        #expect(located.directory.path == "/nonexistent-bytebit/logs/run")
    }
}
