import BytebitRedis
import Foundation

/// A throwaway `redis-server` on a free 127.0.0.1 port, for tests: no persistence, its own folder,
/// killed when the test lets go of it. It can be killed and started again on the same port, and
/// stopped (`SIGSTOP`) to play a stuck server.
public final class RedisTestServer: @unchecked Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case missing
        case notReady(String)

        public var description: String {
            switch self {
            case .missing: "redis-server is not installed (apt-get install redis-server; .ci/run does)"
            case .notReady(let output): "redis-server did not take connections within 10 s: \(output)"
            }
        }
    }

    public let port: Int
    public let password: String?
    public let directory: URL
    private var process: Process?
    private let output: URL

    /// Starts the server and waits until it answers `PING`.
    public init(password: String? = nil) throws {
        port = try Self.freePort()
        self.password = password
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        output = directory.appendingPathComponent("redis.log")
        try start()
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The endpoint a client uses, with this server's password (or another one).
    public func endpoint(password: String? = nil, user: String? = nil) -> RedisEndpoint {
        RedisEndpoint(host: "127.0.0.1", port: port, user: user, password: password ?? self.password)
    }

    /// `redis://…` for a config file.
    public func url(password: String? = nil) -> String {
        let login = (password ?? self.password).map { ":\($0)@" } ?? ""
        return "redis://\(login)127.0.0.1:\(port)/0"
    }

    /// Starts the server (again, on the same port) and waits until it answers.
    public func start() throws {
        guard let binary = Self.binary() else { throw Failure.missing }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        var arguments = [
            "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", directory.path, "--daemonize", "no", "--loglevel", "warning",
        ]
        if let password { arguments += ["--requirepass", password] }
        process.arguments = arguments
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let log = try FileHandle(forWritingTo: output)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let connection = try? RedisConnection.open(endpoint(), timeout: .seconds(1)),
               case .status("PONG") = try? connection.command(["PING"]) {
                return
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw Failure.notReady((try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }

    /// Kills the server (SIGKILL) and waits for it to end.
    public func kill() {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGCONT)
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// `SIGSTOP`: the server keeps its socket but answers nothing (a stuck server).
    public func pause() { if let process { Foundation.kill(process.processIdentifier, SIGSTOP) } }

    /// `SIGCONT` after `pause`.
    public func resume() { if let process { Foundation.kill(process.processIdentifier, SIGCONT) } }

    /// Runs one command as an administrator (with the server's password).
    @discardableResult
    public func command(_ words: [String]) throws -> RedisReply {
        try RedisConnection.open(endpoint(), timeout: .seconds(2)).command(words)
    }

    private static func binary() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let candidates = path.split(separator: ":").map { "\($0)/redis-server" } + ["/usr/bin/redis-server", "/usr/sbin/redis-server"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A port the kernel just handed out (bound to 0, then released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress -> Int32 in
                guard bind(fd, socketAddress, length) == 0 else { return -1 }
                return getsockname(fd, socketAddress, &length)
            }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
