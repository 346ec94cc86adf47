import BytebitLoader
import Foundation

/// A throwaway PostgreSQL server for one test: `initdb` into a temporary folder, `postgres` on a free
/// 127.0.0.1 port, password authentication over TCP (`postgres` / `password`), stopped and deleted at
/// the end. PostgreSQL refuses to run as root, so as root the server runs as the system user
/// `bytebit-test` (created once with useradd if missing). Tests may `stop()` and `start()` it to
/// make an outage.
public final class PostgresTestServer: @unchecked Sendable {
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    public static let user = "postgres"
    public static let password = "s3cret-pw"
    static let systemUser = "bytebit-test"

    public let directory: URL
    public let port: Int
    private let binaries: URL
    private var isRunning = false

    /// `postgresql://postgres:PASSWORD@127.0.0.1:PORT/DATABASE`.
    public func url(database: String = "market", password: String = PostgresTestServer.password) -> String {
        "postgresql://\(Self.user):\(password)@127.0.0.1:\(port)/\(database)"
    }

    /// Creates the cluster and starts the server, with a database `market`.
    public init() throws {
        binaries = try Self.findBinaries()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        let passwordFile = directory.appendingPathComponent("pw").path
        try Self.password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        if getuid() == 0 {
            try Self.ensureSystemUser()
            try Self.run("/bin/chown", ["-R", Self.systemUser, directory.path])
        }
        try runAsServerUser(binaries.appendingPathComponent("initdb").path, [
            "-D", dataDirectory, "-U", Self.user, "--pwfile=\(passwordFile)", "--auth-host=scram-sha-256",
            "--auth-local=trust", "--no-sync", "-E", "UTF8", "--locale=C",
        ])
        try start()
        try execute("CREATE DATABASE market", database: "postgres")
    }

    deinit {
        try? stop()
        try? FileManager.default.removeItem(at: directory)
    }

    var dataDirectory: String { directory.appendingPathComponent("data").path }

    /// Starts the server (again) on the same port and waits until it accepts connections.
    public func start() throws {
        try runAsServerUser(binaries.appendingPathComponent("pg_ctl").path, [
            "-D", dataDirectory, "-l", directory.appendingPathComponent("server.log").path, "-w", "-t", "60",
            "-o", "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
            "start",
        ])
        isRunning = true
    }

    /// Stops the server (fast shutdown: open connections are cut, as in a real outage).
    public func stop() throws {
        guard isRunning else { return }
        try runAsServerUser(binaries.appendingPathComponent("pg_ctl").path, ["-D", dataDirectory, "-m", "fast", "-w", "stop"])
        isRunning = false
    }

    /// A connection to `database` (as the superuser).
    public func connect(database: String = "market") throws -> PostgresConnection {
        try PostgresConnection(url: url(database: database))
    }

    /// Runs SQL and returns its rows as text.
    @discardableResult
    public func execute(_ sql: String, database: String = "market") throws -> [[String?]] {
        try connect(database: database).execute(sql)
    }

    // MARK: - Processes

    private func runAsServerUser(_ executable: String, _ arguments: [String]) throws {
        if getuid() == 0 {
            try Self.run("/usr/sbin/runuser", ["-u", Self.systemUser, "--", executable] + arguments, in: directory)
        } else {
            try Self.run(executable, arguments, in: directory)
        }
    }

    /// Runs a program to its end, its output in a file. posix_spawn and waitpid rather than
    /// Foundation.Process: the server that `pg_ctl start` leaves running would inherit the descriptor
    /// Foundation watches to see its child end, and the wait would last until the server stops.
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-pg-run-\(UUID().uuidString)").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // pg_ctl and initdb want a folder the server user may enter.
        let command = (directory.map { "cd '\($0.path)' && " } ?? "") + "exec \"$0\" \"$@\""
        let argv = ["/bin/sh", "-c", command, executable] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw Missing(description: "cannot run \(executable): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitCode == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw Missing(description: "\(executable) \(arguments.joined(separator: " ")) failed (\(exitCode)): \(text)")
        }
    }

    /// PostgreSQL 15's server binaries (Debian `postgresql`), else any installed version.
    static func findBinaries() throws -> URL {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
        for version in ["15"] + versions.reversed() {
            let bin = URL(fileURLWithPath: "\(root)/\(version)/bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path),
               FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("pg_ctl").path) {
                return bin
            }
        }
        throw Missing(description: "PostgreSQL server binaries not found under \(root)/*/bin (initdb, pg_ctl): "
            + "install the Debian package `postgresql` (`.ci/run` does)")
    }

    static func ensureSystemUser() throws {
        if getpwnam(systemUser) != nil { return }
        do {
            try run("/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", systemUser])
        } catch {
            // Another test process may have created it at the same time.
            if getpwnam(systemUser) == nil { throw error }
        }
    }

    /// A port nothing listens on, for a test of an unreachable server.
    public static func freePortForTests() throws -> Int { try freePort() }

    /// A TCP port nothing listens on now (bound to port 0, then released).
    static func freePort() throws -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw Missing(description: "socket() failed") }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socketDescriptor, pointer, length) == 0 && getsockname(socketDescriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw Missing(description: "cannot bind a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
