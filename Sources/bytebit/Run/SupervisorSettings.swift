import BytebitCore
import Foundation

/// The supervisor's tunables: production defaults, shortened by hidden options in tests.
struct SupervisorSettings: Sendable {
    /// The `collector` executable.
    var collectorPath: String
    /// The decisions' timing rules (backoff, heartbeat, grace period, duration, summaries).
    var policy = SupervisorPolicy()
    /// How often the loop checks heartbeats and rewrites the state file, in microseconds.
    var tickMicroseconds: Int64 = 1_000_000
    /// How often the collectors' status files are read for the summaries and `STATUS=`, in microseconds.
    var statusReadMicroseconds: Int64 = 5_000_000

    /// Environment variables a collector may inherit: the rest (notably systemd's NOTIFY_SOCKET and
    /// WATCHDOG_*, which would make a child talk to systemd as if it were the service) stays behind.
    /// The outputs' URLs (SPEC §3.2) and libpq's own settings (`PGPASSWORD`, `PGPASSFILE`,
    /// `PGSSLMODE`, …) go to the children that use them.
    static let inheritedEnvironment: Set<String> = [
        "PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME", "TMPDIR", "DATABASE_URL", "REDIS_URL",
    ]

    /// The children's clean environment built from the supervisor's own.
    static func childEnvironment(from environment: [String: String]) -> [String: String] {
        environment.filter { key, _ in
            inheritedEnvironment.contains(key) || key.hasPrefix("BYTEBIT_") || key.hasPrefix("PG")
        }
    }

    /// The executable a child of `role` runs: `collector`, or `loader` / `live-feed` beside it.
    func executable(for role: CollectorLaunch.Role) -> String {
        let folder = URL(fileURLWithPath: collectorPath).deletingLastPathComponent()
        switch role {
        case .markets, .instrumentWatcher: return collectorPath
        case .loader: return folder.appendingPathComponent("loader").path
        case .liveFeed: return folder.appendingPathComponent("live-feed").path
        }
    }

    /// `collector` in the folder of the running `bytebit` executable.
    static func collectorNextToSelf() -> String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("collector").path
    }
}
