/// Receives a client connection's events, all on the client's service thread.
public protocol WebSocketHandler: AnyObject {
    /// The upgrade succeeded; messages sent now go out first.
    func webSocketDidOpen()
    /// One whole message; `message` is valid only during the call (it points into the receive buffer).
    func webSocketDidReceive(_ message: UnsafeRawBufferPointer, isText: Bool)
    /// The periodic tick (`tickInterval`), for the caller's own timers on this thread.
    func webSocketDidTick()
}

extension WebSocketHandler {
    /// Default: nothing to do on open.
    public func webSocketDidOpen() {}
    /// Default: no timers.
    public func webSocketDidTick() {}
}
