/// Where the WebSocket connection stands.
enum ConnectionStage: Sendable, Equatable {
    /// Not started yet.
    case idle
    /// `connect` issued at `since`, waiting for `connected`.
    case connecting(since: UTCTimestamp)
    /// Open since `since`.
    case connected(since: UTCTimestamp)
    /// Between connections: the next attempt is due at `until`.
    case waitingToReconnect(until: UTCTimestamp)
    /// Stopped or exiting: every further input is ignored.
    case finished
}

/// Where the book subscription stands on the current connection.
enum BookStage: Sendable, Equatable {
    /// `orderbook: false`.
    case disabled
    /// Not subscribed on this connection (waiting for the instrument precisions).
    case idle
    /// Subscribe sent at `since`; waiting for the ack and then the snapshot.
    case subscribing(since: UTCTimestamp)
    /// Ack received; waiting for the snapshot requested at `since`.
    case awaitingSnapshot(since: UTCTimestamp)
    /// A verified snapshot arrived; every applied message is verified.
    case live
    /// Unsubscribed at `since` to force a fresh snapshot; resubscribe on the ack or a timeout.
    case unsubscribing(since: UTCTimestamp, reason: String)
    /// The mismatch breaker tripped: no resubscribe; reconnect at `until`.
    case coolingDown(until: UTCTimestamp)
    /// Kraken rejected the subscription; subscribe again at `until`.
    case backingOff(until: UTCTimestamp)
}

/// Where the instrument or trade subscription stands on the current connection.
enum ChannelStage: Sendable, Equatable {
    /// Not wanted (`trades: false`).
    case disabled
    /// Not subscribed on this connection.
    case idle
    /// Subscribe sent at `since`, no ack yet.
    case subscribing(since: UTCTimestamp)
    /// Acknowledged.
    case subscribed
    /// Kraken rejected the subscription; subscribe again at `until`.
    case backingOff(until: UTCTimestamp)
}
