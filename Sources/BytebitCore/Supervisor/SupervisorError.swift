import Foundation

/// What went wrong in the supervisor's own files and processes, with what to check.
public enum SupervisorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file the supervisor or a collector keeps could not be written.
    case cannotWrite(path: String, reason: String)
    /// A file the supervisor or a collector keeps could not be read or parsed.
    case cannotRead(path: String, reason: String)
    /// The connection ledger could not be opened or locked.
    case ledgerUnavailable(path: String, reason: String)
    /// The `collector` executable is not where the supervisor looks for it.
    case collectorNotFound(path: String)
    /// A collector process could not be started.
    case cannotStartCollector(market: String, reason: String)
    /// A folder the supervisor needs could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// Another `bytebit run` holds the run folder's lock.
    case alreadyRunning(runDirectory: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason); check that the folder exists and is writable by this user"
        case .cannotRead(let path, let reason):
            "cannot read \(path): \(reason)"
        case .alreadyRunning(let runDirectory):
            "another `bytebit run` already uses \(runDirectory); stop it first (`bytebit status` shows it)"
        case .ledgerUnavailable(let path, let reason):
            "cannot use the connection ledger \(path): \(reason); check that the run folder is writable"
        case .collectorNotFound(let path):
            "no collector executable at \(path); install `collector` next to `bytebit`"
        case .cannotStartCollector(let market, let reason):
            "cannot start the collector for \(market): \(reason)"
        case .cannotCreateDirectory(let path, let reason):
            "cannot create the folder \(path): \(reason); check the permissions of its parent"
        }
    }

    /// The text of the current `errno`, for the `reason` of these errors.
    static func errnoText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }
}
