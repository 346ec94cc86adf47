/// The exit codes every bytebit executable uses: the collector ↔ supervisor contract of SPEC §5.
///
/// Named `ExitStatus` so it does not collide with ArgumentParser's `ExitCode` in the executables.
public enum ExitStatus: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// A clean stop (SIGTERM, SIGINT or the end of `--duration`).
    case clean = 0
    /// Anything not covered below; the supervisor restarts the collector with backoff.
    case failure = 1
    /// The command line was wrong (BSD `EX_USAGE`); the supervisor does not restart with the same config.
    case usage = 64
    /// The input data was wrong (BSD `EX_DATAERR`): `view`/`list` skipped corrupt rows.
    case dataError = 65
    /// A folder or file that must be created cannot be (BSD `EX_CANTCREAT`), e.g. an unwritable
    /// `data_dir`; restarting helps once the operator fixes it, so the supervisor keeps retrying.
    case cantCreate = 73
    /// A temporary failure such as the network or the exchange (BSD `EX_TEMPFAIL`); worth retrying.
    case temporaryFailure = 75
    /// The configuration is invalid (BSD `EX_CONFIG`); the supervisor does not restart with the same config.
    case configuration = 78

    /// Whether the supervisor should stop restarting a collector that exited with this status
    /// until the configuration changes: restarting cannot fix a usage or configuration error.
    public var isPermanentForSameConfig: Bool {
        self == .usage || self == .configuration
    }

    public var description: String {
        switch self {
        case .clean: "clean stop (0)"
        case .failure: "failure (1)"
        case .usage: "usage error (64)"
        case .dataError: "data error (65)"
        case .cantCreate: "cannot create a folder or file (73)"
        case .temporaryFailure: "temporary failure (75)"
        case .configuration: "configuration error (78)"
        }
    }
}
