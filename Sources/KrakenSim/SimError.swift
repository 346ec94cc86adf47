/// What can go wrong in the simulator itself (never sent to clients; those get Kraken error acks).
public enum SimError: Error, Equatable, CustomStringConvertible {
    /// A command-line value is out of range.
    case invalidOption(name: String, value: String, allowed: String)
    /// The truth folder or one of its files could not be created or written.
    case truthFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidOption(let name, let value, let allowed):
            return "invalid value for \(name): \(value); allowed: \(allowed)"
        case .truthFile(let path, let reason):
            return "cannot write the truth file \(path): \(reason); check that the folder exists and is writable"
        }
    }
}
