/// What the recorder needs of its connection to Kraken: open and serve one connection on the
/// calling thread (frames, ticks and its opening reported to a handler), send text, close, and one
/// ending out. `WebSocketTransport` is the real one; tests script one (BytebitTestSupport).
public protocol RecorderTransport: AnyObject, Sendable {
    /// Connects and serves one connection on the calling thread until it ends (or `stop()`); the
    /// handler hears of the opening, each frame and each tick on this thread.
    func runConnection(handler: any RecorderTransportHandler) -> TransportEnding
    /// Sends a text frame on the open connection (dropped when none is open).
    func send(text: String)
    /// Closes the current connection; `runConnection` returns soon after.
    func closeConnection()
    /// Any thread: ends the current connection, if any, so that `runConnection` returns.
    func stop()
}

/// The recorder's side of a connection; called on the thread that runs `runConnection`.
public protocol RecorderTransportHandler: AnyObject {
    func transportDidOpen()
    /// One whole frame; the bytes are valid during the call only.
    func transportDidReceive(_ frame: UnsafeRawBufferPointer)
    /// When one of the recorder's timers is due, or a few times a second when the transport cannot
    /// ask `microsecondsUntilNextTick`: the recorder's timers run here.
    func transportDidTick()
    /// How long until the recorder next needs `transportDidTick()` (nil: not until a frame arrives);
    /// asked after every pass of the transport's loop, so it is cheap.
    var microsecondsUntilNextTick: Int64? { get }
}

/// How a connection ended, as the feed's `disconnected` row says it.
public struct TransportEnding: Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
