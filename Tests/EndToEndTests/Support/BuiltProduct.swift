import Foundation

/// Finds the executables SwiftPM built next to the test bundle (the test target depends on them).
enum BuiltProduct {
    /// The folder holding the test bundle and the built executables, e.g. `.build/debug`.
    static let directory: URL = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        // On Linux the runner is `.build/debug/bytebitPackageTests.xctest` (a file) — its folder holds the
        // products; walk up until a folder contains `collector`.
        for _ in 0..<4 {
            if FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("collector").path) {
                return folder
            }
            folder = folder.deletingLastPathComponent()
        }
        return executable.deletingLastPathComponent()
    }()

    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }
}
