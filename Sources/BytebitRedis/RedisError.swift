/// Why talking to Redis failed. The texts name the server by its address, never by its password.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The TCP connection could not be made (refused, timed out, no such host).
    case connect(address: String, reason: String)
    /// `AUTH` was refused: a wrong password or user (the server's reply, e.g. `WRONGPASS …`).
    case authentication(address: String, reply: String)
    /// The server answered a command with an error (e.g. `NOAUTH`, an unknown database).
    case refused(command: String, reply: String)
    /// The connection broke or timed out while writing or reading (a dead or stuck server).
    case io(String)

    public var description: String {
        switch self {
        case .connect(let address, let reason): "cannot connect to \(address): \(reason)"
        case .authentication(let address, let reply): "authentication at \(address) failed: \(reply)"
        case .refused(let command, let reply): "\(command) refused: \(reply)"
        case .io(let reason): "connection lost: \(reason)"
        }
    }
}
