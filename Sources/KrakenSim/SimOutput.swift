/// Identifies one client connection of the simulator; the transport chooses the numbers.
public struct SimConnectionID: Hashable, Sendable, CustomStringConvertible {
    /// The transport's own number for the connection.
    public var rawValue: UInt64

    /// Wraps the transport's number for a connection.
    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public var description: String { "connection \(rawValue)" }
}

/// What the exchange asks the transport to do. Called only from the thread that drives the exchange.
public protocol SimOutput: AnyObject {
    /// Queue one text frame for the connection.
    func send(_ text: String, to connection: SimConnectionID)
    /// Close the connection cleanly with a WebSocket close code and reason.
    func close(_ connection: SimConnectionID, code: Int, reason: String)
    /// Reset the TCP connection without a close frame (a network failure as the client sees it).
    func drop(_ connection: SimConnectionID)
}
