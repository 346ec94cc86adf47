/// Something that happened to the connection, as seen by the collector's run loop.
///
/// Every input that stems from a frame also counts as liveness; `messageReceived` is for frames
/// with no other meaning here (heartbeats, trades, ticker…).
public enum FeedInput: Sendable, Equatable {
    /// Begin: connect for the first time.
    case start
    /// The WebSocket handshake completed.
    case connected
    /// The connection ended for any reason the feed did not ask for (error, close, idle).
    case connectionEnded(reason: String)
    /// A `status` frame; `system` is `online`, `maintenance`, `cancel_only`, … (unknown accepted).
    case statusReceived(system: String)
    /// `success: true` for a subscribe request.
    case subscribeAcknowledged(channel: FeedChannel, symbol: String?)
    /// `success: false` for a subscribe request. Kraken's error frame has no `result`, so the
    /// channel may be unknown; `requestID` (the echoed `req_id`) lets the feed find it.
    case subscribeRejected(channel: FeedChannel?, symbol: String?, error: String, requestID: Int?)
    /// `success: true` for an unsubscribe request.
    case unsubscribeAcknowledged(channel: FeedChannel, symbol: String?)
    /// `success: false` for an unsubscribe request (e.g. "Subscription Not Found").
    case unsubscribeRejected(channel: FeedChannel?, symbol: String?, error: String)
    /// An instrument snapshot or an update that mentions this symbol. `pairListed` is false when
    /// a snapshot lacks the symbol or lists it as delisted.
    case instrumentReceived(pairListed: Bool, pricePrecision: Int, qtyPrecision: Int)
    /// A book message was applied and its checksum matched.
    case bookVerified(isSnapshot: Bool)
    /// A book message was applied and its checksum did not match.
    case bookChecksumMismatch(expected: UInt32, computed: UInt32)
    /// Any other frame (heartbeat, trade, …): liveness only.
    case messageReceived
    /// A `pong` answered a ping.
    case pongReceived
    /// A frame that could not be decoded.
    case malformedFrame(reason: String)
    /// Time passed; the run loop should tick at least every 250 ms.
    case tick
    /// SIGTERM/SIGINT or a supervisor request: stop cleanly.
    case stopRequested
}
