/// One market's Kraken v2 connection as a pure state machine: each input and the current time go
/// in, the actions the run loop must perform come out. No I/O, no clock reads, no threads.
///
/// Flow: connect → subscribe `instrument` → (precisions known) subscribe `book` and `trade` →
/// book snapshot verified → live. Mismatches (and malformed frames while live) resubscribe the book once; connection loss
/// reconnects on Kraken's backoff schedule within the connection budget.
///
/// Channels are rows of a table (`ChannelTable`, one `ChannelStage` per recorded channel) that
/// the same code subscribes, times out and retries; the table and every other per-connection
/// field live in `ConnectionStage.connected(ConnectedSession)`, so a new connection starts clean.
/// Across connections the machine keeps only what outlives a socket: backoff, budget, outage,
/// precisions, Kraken's system status and the counters.
///
/// Run loop contract: send `.start` once; feed every decoded frame as its input; tick at
/// `nextDeadline` (or at least every 250 ms); perform the returned actions in order. After a
/// `.disconnect` action, do not report `.connectionEnded` for that socket. Write book rows only
/// while `isBookWritable`; apply book frames only while `acceptsBookMessages`.
public struct FeedMachine: Sendable {
    /// What this feed subscribes to and its timing policy.
    public let configuration: FeedConfiguration

    var random: any RandomNumberGenerator & Sendable
    /// The connection; while open, it holds every per-connection field (`ConnectedSession`).
    var connection: ConnectionStage = .idle
    /// Price and qty precisions from the instrument channel (nil until the snapshot).
    var precisions: (price: Int, qty: Int)?
    var isMaintenance = false
    /// In a group: Kraken does not list the pair (absent or delisted), so nothing is subscribed for it.
    var isPairHeld = false
    var systemStatus: String?
    var nextRequestID = 1
    var lastMessageAt: UTCTimestamp?
    var backoff = ReconnectBackoff()
    var budget: ConnectionBudget
    var lastConnectAttemptAt: UTCTimestamp?
    var connectionAttempts = 0
    /// Set from the end of a connection (or a first failed attempt) until the next one opens.
    var outage: ConnectionOutage?
    /// Why the last attempt or connection ended.
    var lastConnectionError: String?
    var checksumFailureCount = 0
    var malformedFrameCount = 0

    /// A feed that has not started; `random` supplies reconnect jitter (seed it in tests).
    public init(configuration: FeedConfiguration, random: some RandomNumberGenerator & Sendable) {
        self.configuration = configuration
        self.random = random
        self.budget = ConnectionBudget(
            limit: configuration.policy.connectionBudget, window: configuration.policy.connectionBudgetWindow)
    }

    /// The open connection's state; nil unless connected. Setting it while not connected does nothing.
    var session: ConnectedSession? {
        get {
            if case .connected(let session) = connection { return session }
            return nil
        }
        set {
            guard let newValue, case .connected = connection else { return }
            connection = .connected(newValue)
        }
    }

    /// The book channel's stage on the open connection; nil when not connected or not recorded.
    var bookStage: ChannelStage? {
        if case .connected(let session) = connection { return session.channels[.book] }
        return nil
    }

    /// Feeds one input observed at `now`; returns what the run loop must do, in order.
    public mutating func handle(_ input: FeedInput, at now: UTCTimestamp) -> [FeedAction] {
        if case .finished = connection { return [] }
        switch input {
        case .start: return start(now)
        case .connected: return connectionOpened(now)
        case .connectionEnded(let reason): return connectionLost(reason: reason, now)
        case .stopRequested: return stop(now)
        case .tick: return tick(now)
        default: break
        }
        // Everything below stems from a frame: only meaningful on an open connection.
        guard case .connected = connection else { return [] }
        lastMessageAt = now
        switch input {
        case .statusReceived(let system): return systemStatusChanged(to: system, now)
        case .subscribeAcknowledged(let channel, let symbol):
            return subscriptionAcknowledged(channel, symbol: symbol, now)
        case .subscribeRejected(let channel, let symbol, let error, let requestID):
            return subscriptionRejected(channel, symbol: symbol, error: error, requestID: requestID, now)
        case .unsubscribeAcknowledged(let channel, let symbol):
            return isOurs(symbol) ? unsubscriptionAnswered(channel, now) : []
        case .unsubscribeRejected(let channel, let symbol, _):
            return isOurs(symbol) ? unsubscriptionAnswered(channel ?? .book, now) : []
        case .instrumentReceived(let pairListed, let pricePrecision, let qtyPrecision):
            return instrumentReceived(pairListed: pairListed, price: pricePrecision, qty: qtyPrecision, now)
        case .bookVerified(let isSnapshot): return bookVerified(isSnapshot: isSnapshot, now)
        case .bookChecksumMismatch(let expected, let computed):
            return checksumMismatched(expected: expected, computed: computed, now)
        case .pongReceived:
            session?.pingOutstandingSince = nil
            return []
        case .malformedFrame(let reason):
            return malformedFrameReceived(reason: reason, now)
        case .messageReceived, .start, .connected, .connectionEnded, .tick, .stopRequested:
            return []
        }
    }

    /// True only while connected, live with a verified book and Kraken online: write rows only then.
    public var isBookWritable: Bool {
        !isMaintenance && bookStage == .live
    }

    /// Whether book frames should be applied now. While awaiting a snapshot, the book must drop
    /// updates until a snapshot arrives (and report no mismatch for them).
    public var acceptsBookMessages: Bool {
        switch bookStage {
        case .subscribing?, .awaitingSnapshot?, .live?: return true
        case .idle?, .unsubscribing?, .coolingDown?, .backingOff?, nil: return false
        }
    }

    /// The price and qty precisions the book must use for checksums (nil until known).
    public var bookPrecisions: (price: Int, qty: Int)? { precisions }

    /// The observable state for `bytebit status`.
    public var status: FeedStatus {
        FeedStatus(
            stateName: stateName, reconnectCount: max(connectionAttempts - 1, 0),
            checksumFailureCount: checksumFailureCount, lastMessageAt: lastMessageAt,
            systemStatus: systemStatus, malformedFrameCount: malformedFrameCount,
            failedConnectionAttempts: outage?.failedAttempts ?? 0, lastConnectionError: lastConnectionError)
    }

    var stateName: String {
        let session: ConnectedSession
        switch connection {
        case .idle: return "idle"
        case .connecting: return "connecting"
        case .waitingToReconnect: return "reconnecting"
        case .finished: return "stopped"
        case .connected(let open): session = open
        }
        if isMaintenance { return "maintenance" }
        if isPairHeld { return FeedStatus.notListed }
        let primary = configuration.primaryChannel
        switch session.channels[primary] {
        case .live?: return "live"
        case .subscribing?, .awaitingSnapshot?: return primary.waitsForSnapshot ? "awaiting_snapshot" : "subscribing"
        case .unsubscribing?: return "resyncing"
        case .coolingDown?: return "cooling_down"
        case .backingOff?: return "backing_off"
        case .idle?, nil: return "subscribing"
        }
    }

    func isOurs(_ symbol: String?) -> Bool {
        guard let symbol else { return true }
        return symbol.lowercased() == configuration.symbol.lowercased()
    }

    mutating func takeRequestID() -> Int {
        defer { nextRequestID += 1 }
        return nextRequestID
    }
}
