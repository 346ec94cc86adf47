/// One market's Kraken v2 connection as a pure state machine: each input and the current time go
/// in, the actions the run loop must perform come out. No I/O, no clock reads, no threads.
///
/// Flow: connect → subscribe `instrument` → (precisions known) subscribe `book` and `trade` →
/// book snapshot verified → live. Mismatches resubscribe the book once; connection loss
/// reconnects on Kraken's backoff schedule within the connection budget.
///
/// Run loop contract: send `.start` once; feed every decoded frame as its input; tick at
/// `nextDeadline` (or at least every 250 ms); perform the returned actions in order. After a
/// `.disconnect` action, do not report `.connectionEnded` for that socket. Write book rows only
/// while `isBookWritable`; apply book frames only while `acceptsBookMessages`.
public struct FeedMachine: Sendable {
    /// What this feed subscribes to and its timing policy.
    public let configuration: FeedConfiguration

    var random: any RandomNumberGenerator & Sendable
    var connection: ConnectionStage = .idle
    var instrument: ChannelStage = .idle
    var book: BookStage
    var trade: ChannelStage
    /// Price and qty precisions from the instrument channel (nil until the snapshot).
    var precisions: (price: Int, qty: Int)?
    var instrumentSnapshotDeadline: UTCTimestamp?
    var isMaintenance = false
    var systemStatus: String?
    var nextRequestID = 1
    /// Subscribe requests not yet answered, by `req_id`: resolves rejections without a channel.
    var pendingSubscriptions: [Int: FeedChannel] = [:]
    var lastMessageAt: UTCTimestamp?
    var hasActiveSubscription = false
    var lastPingSentAt: UTCTimestamp?
    var pingOutstandingSince: UTCTimestamp?
    /// When the current session became live; 30 s of it resets the backoff.
    var liveSince: UTCTimestamp?
    var backoff = ReconnectBackoff()
    var budget: ConnectionBudget
    var lastConnectAttemptAt: UTCTimestamp?
    var connectionAttempts = 0
    var recentMismatches: [UTCTimestamp] = []
    var rejectionStreaks: [FeedChannel: Int] = [:]
    var checksumFailureCount = 0
    var malformedFrameCount = 0

    /// A feed that has not started; `random` supplies reconnect jitter (seed it in tests).
    public init(configuration: FeedConfiguration, random: some RandomNumberGenerator & Sendable) {
        self.configuration = configuration
        self.random = random
        self.book = configuration.recordsBook ? .idle : .disabled
        self.trade = configuration.recordsTrades ? .idle : .disabled
        self.budget = ConnectionBudget(
            limit: configuration.policy.connectionBudget, window: configuration.policy.connectionBudgetWindow)
    }

    /// Feeds one input observed at `now`; returns what the run loop must do, in order.
    public mutating func handle(_ input: FeedInput, at now: UTCTimestamp) -> [FeedAction] {
        if connection == .finished { return [] }
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
            pingOutstandingSince = nil
            return []
        case .malformedFrame:
            // A lost book frame shows up as a checksum mismatch on the next one; just count it.
            malformedFrameCount += 1
            return []
        case .messageReceived, .start, .connected, .connectionEnded, .tick, .stopRequested:
            return []
        }
    }

    /// True only while connected, live with a verified book and Kraken online: write rows only then.
    public var isBookWritable: Bool {
        guard case .connected = connection, book == .live else { return false }
        return !isMaintenance
    }

    /// Whether book frames should be applied now. While awaiting a snapshot, the book must drop
    /// updates until a snapshot arrives (and report no mismatch for them).
    public var acceptsBookMessages: Bool {
        guard case .connected = connection else { return false }
        switch book {
        case .subscribing, .awaitingSnapshot, .live: return true
        case .disabled, .idle, .unsubscribing, .coolingDown, .backingOff: return false
        }
    }

    /// The price and qty precisions the book must use for checksums (nil until known).
    public var bookPrecisions: (price: Int, qty: Int)? { precisions }

    /// The observable state for `bytebit status`.
    public var status: FeedStatus {
        FeedStatus(
            stateName: stateName, reconnectCount: max(connectionAttempts - 1, 0),
            checksumFailureCount: checksumFailureCount, lastMessageAt: lastMessageAt,
            systemStatus: systemStatus, malformedFrameCount: malformedFrameCount)
    }

    var stateName: String {
        switch connection {
        case .idle: return "idle"
        case .connecting: return "connecting"
        case .waitingToReconnect: return "reconnecting"
        case .finished: return "stopped"
        case .connected: break
        }
        if isMaintenance { return "maintenance" }
        switch book {
        case .live: return "live"
        case .subscribing, .awaitingSnapshot: return "awaiting_snapshot"
        case .unsubscribing: return "resyncing"
        case .coolingDown: return "cooling_down"
        case .backingOff: return "backing_off"
        case .idle: return "subscribing"
        case .disabled: return trade == .subscribed ? "live" : "subscribing"
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
