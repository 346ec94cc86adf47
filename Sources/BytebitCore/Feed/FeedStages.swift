/// Where the WebSocket connection stands.
enum ConnectionStage: Sendable, Equatable {
    /// Not started yet.
    case idle
    /// `connect` issued at `since`, waiting for `connected`.
    case connecting(since: UTCTimestamp)
    /// Open; everything that belongs to this one connection lives in the session, so the next
    /// connection starts from a fresh one and no field can outlive its socket.
    case connected(ConnectedSession)
    /// Between connections: the next attempt is due at `until`.
    case waitingToReconnect(until: UTCTimestamp)
    /// Stopped or exiting: every further input is ignored.
    case finished
}

/// Where one channel's subscription stands on the current connection (one row of `ChannelTable`).
enum ChannelStage: Sendable, Equatable {
    /// Not subscribed on this connection (waiting for the instrument precisions).
    case idle
    /// Subscribe sent at `since`, no ack yet.
    case subscribing(since: UTCTimestamp)
    /// Ack received for the subscribe sent at `since`; waiting for the snapshot (channels whose
    /// `waitsForSnapshot` is true).
    case awaitingSnapshot(since: UTCTimestamp)
    /// Flowing: acknowledged, and for snapshot channels the snapshot arrived (the book's verified).
    case live
    /// Unsubscribed at `since` to force a fresh snapshot; resubscribe on the ack or a timeout.
    case unsubscribing(since: UTCTimestamp, reason: String)
    /// The mismatch breaker tripped: no resubscribe; reconnect at `until`.
    case coolingDown(until: UTCTimestamp)
    /// Kraken rejected the subscription; subscribe again at `until`.
    case backingOff(until: UTCTimestamp)

    /// The subscribe request time while a request deadline runs (no ack or no snapshot yet).
    var requestedAt: UTCTimestamp? {
        switch self {
        case .subscribing(let since), .awaitingSnapshot(let since): since
        case .idle, .live, .unsubscribing, .coolingDown, .backingOff: nil
        }
    }
}
