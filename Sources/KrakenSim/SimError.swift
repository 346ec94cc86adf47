/// What can go wrong in the simulator itself (never sent to clients; those get Kraken error acks).
public enum SimError: Error, Equatable, CustomStringConvertible {
    /// A command-line value is out of range.
    case invalidOption(name: String, value: String, allowed: String)
    /// The truth folder or one of its files could not be created or written.
    case truthFile(path: String, reason: String)
    /// The `--pairs-file` could not be read or is not an instrument snapshot.
    case pairsFile(path: String, reason: String)
    /// The control interface could not listen.
    case controlPort(port: Int, reason: String)

    public var description: String {
        switch self {
        case .invalidOption(let name, let value, let allowed):
            return "invalid value for \(name): \(value); allowed: \(allowed)"
        case .truthFile(let path, let reason):
            return "cannot write the truth file \(path): \(reason); check that the folder exists and is writable"
        case .controlPort(let port, let reason):
            return "cannot listen for control requests on 127.0.0.1:\(port): \(reason); choose another --control-port"
        case .pairsFile(let path, let reason):
            return "the pairs file \(path) \(reason); give a Kraken instrument snapshot (channel instrument, type snapshot)"
        }
    }
}
