import Foundation

/// A built executable run by a test, with stdout and stderr captured to files in `logDirectory`.
final class ChildProcess: @unchecked Sendable {
    let name: String
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL
    private let stdinPipe = Pipe()

    init(
        _ product: String,
        arguments: [String],
        logDirectory: URL,
        environment: [String: String] = [:],
        label: String? = nil,
        currentDirectory: URL? = nil
    ) throws {
        name = label ?? product
        stdoutURL = logDirectory.appendingPathComponent("\(name).stdout")
        stderrURL = logDirectory.appendingPathComponent("\(name).stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: BuiltProduct.path(product))
        process.arguments = arguments
        process.currentDirectoryURL = currentDirectory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = stdinPipe
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Closes the child's stdin (what happens when its supervisor dies).
    func closeStdin() {
        try? stdinPipe.fileHandleForWriting.close()
    }

    /// Waits for the exit and returns the status (exit code, or signal number + 128).
    @discardableResult
    func waitForExit(seconds: Double = 30) throws -> Int32 {
        try waitUntil("\(name) to exit", seconds: seconds) { !process.isRunning }
        return process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus
            : process.terminationStatus
    }

    /// Ends the process if a test left it running (SIGKILL: tests must not leak processes).
    func killIfRunning() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit {
        killIfRunning()
    }
}

/// A fresh temporary folder for one test.
func makeTemporaryDirectory(_ prefix: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("bytebit-\(prefix)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// What one run of a built executable printed, and how it exited.
struct CommandResult: Sendable, CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String

    var description: String { "exit \(status), stderr: \(stderr.prefix(500))" }
}

/// Runs a built executable to its exit (no colour, 200 columns), its output kept in `directory`.
func runProduct(
    _ product: String, _ arguments: [String], in directory: URL, workingDirectory: URL? = nil, seconds: Double = 30
) throws -> CommandResult {
    let child = try ChildProcess(
        product, arguments: arguments, logDirectory: directory, environment: ["NO_COLOR": "1", "COLUMNS": "200"],
        label: "\(product)-\(UUID().uuidString.prefix(8))", currentDirectory: workingDirectory)
    let status = try child.waitForExit(seconds: seconds)
    return CommandResult(status: status, stdout: child.stdout, stderr: child.stderr)
}
