/// Identifies one accepted connection of a `WebSocketServer` (never reused within a server).
public struct WebSocketConnectionID: Hashable, Sendable, CustomStringConvertible {
    /// The server's counter value for this connection.
    public let rawValue: UInt64

    /// Wraps a raw connection number.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public var description: String { "#\(rawValue)" }
}

/// Receives a server's events, all on the server's service thread.
public protocol WebSocketServerHandler: AnyObject {
    /// A client completed the upgrade.
    func connectionDidOpen(_ id: WebSocketConnectionID)
    /// The same, with the client's address; by default it calls `connectionDidOpen(_:)`.
    func connectionDidOpen(_ id: WebSocketConnectionID, peer: String)
    /// One whole message from a client; `message` is valid only during the call.
    func connection(_ id: WebSocketConnectionID, didReceive message: UnsafeRawBufferPointer, isText: Bool)
    /// The connection is gone (either side closed, or it broke).
    func connectionDidClose(_ id: WebSocketConnectionID)
    /// The client sent a close frame with this code (1005 when it carried none); `connectionDidClose` follows.
    func connection(_ id: WebSocketConnectionID, didReceiveCloseWithCode code: Int)
    /// Everything queued went out and the socket takes more: push the next batch now (called again while you push).
    func connectionIsWritable(_ id: WebSocketConnectionID)
    /// The periodic tick (`tickInterval`).
    func serverDidTick()
}

extension WebSocketServerHandler {
    /// Default: nothing to do.
    public func connectionDidOpen(_ id: WebSocketConnectionID) {}
    /// Default: the address is not needed.
    public func connectionDidOpen(_ id: WebSocketConnectionID, peer: String) { connectionDidOpen(id) }
    /// Default: ignore client messages.
    public func connection(_ id: WebSocketConnectionID, didReceive message: UnsafeRawBufferPointer, isText: Bool) {}
    /// Default: nothing to do.
    public func connectionDidClose(_ id: WebSocketConnectionID) {}
    /// Default: nothing to do.
    public func connection(_ id: WebSocketConnectionID, didReceiveCloseWithCode code: Int) {}
    /// Default: no streaming producer.
    public func connectionIsWritable(_ id: WebSocketConnectionID) {}
    /// Default: no timers.
    public func serverDidTick() {}
}
