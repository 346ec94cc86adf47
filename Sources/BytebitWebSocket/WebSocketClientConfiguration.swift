/// How a `WebSocketClient` connects and when it gives up. TLS verification cannot be switched off.
public struct WebSocketClientConfiguration: Sendable, Equatable {
    /// Where to connect.
    public var url: WebSocketURL
    /// A PEM file of extra trusted CAs, used in addition to the system store (never instead of verification).
    public var extraCAFile: String?
    /// Deadline for TCP connect, TLS handshake and HTTP upgrade together; the run then ends with
    /// `.connectTimeout`. The only connect deadline: the feed keeps none of its own.
    public var connectTimeout: Duration
    /// End with `.idleTimeout` when no message arrives for this long; nil for never.
    public var idleTimeout: Duration?
    /// Send a protocol ping this often; nil for no client pings.
    public var pingInterval: Duration?
    /// End with `.pingTimeout` when a ping is not answered within this.
    public var pingTimeout: Duration
    /// Call `webSocketDidTick()` this often on the service thread once open (unless the handler's
    /// `nextWakeUp` names its own time); nil for no ticks.
    public var tickInterval: Duration?
    /// After `stop()`, how long to wait for the server's reply to our close frame.
    public var closeGrace: Duration
    /// Largest message accepted; beyond it the client closes with 1009 and ends with `.messageTooBig`.
    public var maximumMessageBytes: Int
    /// Bytes read from the socket per pass; messages may be larger (they are reassembled).
    public var receiveBufferBytes: Int
    /// After a wake-up that brought messages and emptied the socket, wait this long before looking
    /// at the socket again (a stream that keeps it full is read on without pause), so
    /// the next wake-up takes a batch (fewer syscalls and service passes per message at high rates;
    /// each message waits at most this much longer). Never delays the client's own deadlines.
    /// Zero: off. At most 10 ms.
    public var coalescingDelay: Duration

    /// A configuration with production defaults: 10 s connect, 100 ms ticks, 16 MiB messages.
    public init(
        url: WebSocketURL,
        extraCAFile: String? = nil,
        connectTimeout: Duration = .seconds(10),
        idleTimeout: Duration? = nil,
        pingInterval: Duration? = nil,
        pingTimeout: Duration = .seconds(10),
        tickInterval: Duration? = .milliseconds(100),
        closeGrace: Duration = .seconds(1),
        maximumMessageBytes: Int = 16 << 20,
        receiveBufferBytes: Int = 64 << 10,
        coalescingDelay: Duration = WebSocketClientConfiguration.defaultCoalescingDelay
    ) {
        self.url = url
        self.extraCAFile = extraCAFile
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.tickInterval = tickInterval
        self.closeGrace = closeGrace
        self.maximumMessageBytes = maximumMessageBytes
        self.receiveBufferBytes = receiveBufferBytes
        self.coalescingDelay = coalescingDelay
    }

    /// The default `coalescingDelay` (see the README's Performance section for the measurements).
    public static let defaultCoalescingDelay: Duration = .milliseconds(2)

    /// The largest `coalescingDelay` honoured: a longer one would hold messages up noticeably.
    public static let maximumCoalescingDelay: Duration = .milliseconds(10)

    /// `coalescingDelay` in whole microseconds for the C side, clamped to 0...10 ms.
    var coalescingMicroseconds: UInt32 {
        let delay = min(max(coalescingDelay, .zero), Self.maximumCoalescingDelay)
        let (seconds, attoseconds) = delay.components
        return UInt32(seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }
}

extension Duration {
    /// Whole milliseconds for the C side, clamped to what a C `unsigned` holds (at least 1 when positive).
    var clampedMilliseconds: UInt32 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let milliseconds = seconds.multipliedReportingOverflow(by: 1000)
        guard !milliseconds.overflow else { return UInt32.max }
        let total = milliseconds.partialValue + attoseconds / 1_000_000_000_000_000
        if total == 0 && attoseconds > 0 { return 1 }
        return UInt32(clamping: total)
    }
}
