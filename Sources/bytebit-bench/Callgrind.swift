import Foundation

/// What the callgrind benchmarks share: a copy of a binary this valgrind can read, and a dump's total.
enum Callgrind {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// The built binary `name` beside this benchmark.
    static func builtBinary(_ name: String) -> String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent(name).path
    }

    /// A copy of `executable` in `folder` without its debug info: valgrind 3.19 cannot read Swift 6's
    /// DWARF 5, and `strip --strip-debug` keeps the symbol table, so functions keep their names.
    static func strippedCopy(of executable: String, in folder: URL) throws -> String {
        let copy = folder.appendingPathComponent(URL(fileURLWithPath: executable).lastPathComponent).path
        try FileManager.default.copyItem(atPath: executable, toPath: copy)
        let strip = Process()
        strip.executableURL = URL(fileURLWithPath: "/usr/bin/strip")
        strip.arguments = ["--strip-debug", copy]
        try strip.run()
        strip.waitUntilExit()
        guard strip.terminationStatus == 0 else { throw Failure(description: "strip --strip-debug \(copy) failed") }
        return copy
    }

    /// The `totals:` of one callgrind dump's text; nil when it has none (yet).
    static func totals(inDump text: String) -> Int? {
        text.split(separator: "\n").first(where: { $0.hasPrefix("totals:") })
            .flatMap { $0.split(separator: " ").last }
            .flatMap { Int($0) }
    }
}
