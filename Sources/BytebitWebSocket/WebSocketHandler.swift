/// Receives a client connection's events, all on the client's service thread.
public protocol WebSocketHandler: AnyObject {
    /// The upgrade succeeded; messages sent now go out first.
    func webSocketDidOpen()
    /// One whole message; `message` is valid only during the call (it points into the receive buffer).
    func webSocketDidReceive(_ message: UnsafeRawBufferPointer, isText: Bool)
    /// The periodic tick (`tickInterval`, or when `nextWakeUp` asks), for the caller's own timers on this thread.
    func webSocketDidTick()
    /// When the handler next needs `webSocketDidTick()`. Asked on the service thread after every
    /// service pass and every tick, so keep it cheap; the answer holds until the next question.
    var nextWakeUp: WebSocketWakeUp { get }
}

/// When a handler wants its next tick; the client sleeps until its earliest deadline, so a handler
/// with nothing due costs no wake-ups at all.
public enum WebSocketWakeUp: Sendable, Equatable {
    /// Every `tickInterval` of the client's configuration (the default).
    case everyTickInterval
    /// Once, this long from now (zero or less: at once): the time left until the handler's own next
    /// deadline. Asked again after every pass, so a fixed value would keep moving the tick away.
    case after(Duration)
    /// Not until something happens (a message, a send, a stop); the handler is asked again then.
    case never
}

extension WebSocketHandler {
    /// Default: nothing to do on open.
    public func webSocketDidOpen() {}
    /// Default: no timers.
    public func webSocketDidTick() {}
    /// Default: ticks every `tickInterval`.
    public var nextWakeUp: WebSocketWakeUp { .everyTickInterval }
}
