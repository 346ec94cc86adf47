import BytebitCore

/// One market's messages to Redis (SPEC §9): every verified book row on `kraken_orderbook` and
/// `kraken_orderbook:PAIR`, every trade on `kraken_trades` and `kraken_trades:PAIR`, every ledger
/// row on `kraken_events`, as the JSON of `LiveMessage`. Runs on the recorder's thread: it formats
/// and stages, and hands the staged messages to the process's `RedisPublisher` at each tick
/// (one lock, no I/O). While the publisher is down it formats nothing and counts the drops.
public final class RedisSink: ReportingSink, LiveMessageSink {
    public let pair: String
    private let publisher: RedisPublisher
    private let source: Int
    private let bookChannels: RedisChannels
    private let tradeChannels: RedisChannels
    private let eventChannels: RedisChannels
    private let klineChannels: RedisChannels
    /// This tick's commands, handed over at `flush`. The buffers are only touched on the
    /// recorder's thread, so their run-time exclusivity checks (~300 instructions a message) go.
    @exclusivity(unchecked) private var staged = RedisCommands()
    /// One event's or candle's JSON (reused).
    @exclusivity(unchecked) private var payload: [UInt8] = []
    /// The message of a book or trade given without one (`record(book:)`, `record(trade:)`).
    private let ownMessage: SharedLiveMessage
    private var droppedSinceOffer = 0
    /// The publisher's state at the last offer: what `record` goes by.
    private var state: RedisPublisher.State
    /// Whether this pair's ledger last said "paused".
    private var isNotedPaused = false
    /// The pair's dropped count at its last `output_resumed` note (the messages lost to the
    /// outage include those in flight when the connection broke, counted before it was called down).
    private var droppedAtResume = 0
    @exclusivity(unchecked) private var notes: [LedgerNote] = []  // recorder's thread only

    /// Staged command bytes handed over without waiting for the tick (bounds the recorder-side buffer).
    public static let stageBytes = 256 * 1024
    /// The smallest buffer a tick starts with (a tick after a quiet one goes on in new segments).
    static let minimumBufferBytes = 16 * 1024

    /// How often this tick's buffer grew (copying its commands).
    var stagedBufferGrowths: Int { staged.growths }

    /// The segment this tick's commands are written into (for tests: a reused one is one offered before).
    var stagedSegment: ObjectIdentifier { ObjectIdentifier(staged.current) }

    public init(pair: String, publisher: RedisPublisher) {
        self.pair = pair
        self.publisher = publisher
        source = publisher.registerSource()
        ownMessage = SharedLiveMessage(pair: pair)
        bookChannels = RedisChannels(["kraken_orderbook", "kraken_orderbook:\(pair)"])
        tradeChannels = RedisChannels(["kraken_trades", "kraken_trades:\(pair)"])
        eventChannels = RedisChannels(["kraken_events"])
        klineChannels = RedisChannels(["kraken_klines", "kraken_klines:\(pair)"])
        state = publisher.state
        // Redis already down: this pair's ledger says so at its first tick.
        if !state.isAccepting { state.transitions -= 1 }
    }

    public func record(book: VerifiedBookTop) {
        ownMessage.reset()
        record(book: book, message: ownMessage)
    }

    public func record(book: VerifiedBookTop, message: SharedLiveMessage) {
        guard state.isAccepting else { return droppedSinceOffer += 1 }
        stage(message.book(book), on: bookChannels)
    }

    public func record(trade: TradeRecord) {
        ownMessage.reset()
        record(trade: trade, message: ownMessage)
    }

    public func record(trade: TradeRecord, message: SharedLiveMessage) {
        guard state.isAccepting else { return droppedSinceOffer += 1 }
        stage(message.trade(trade), on: tradeChannels)
    }

    public func record(event: LedgerRecord) {
        // Its own pause note is news about Redis, not for it: Redis is down when it is written.
        guard event.event != .outputPaused || !event.detail.hasPrefix(Self.notePrefix) else { return }
        guard state.isAccepting else { return droppedSinceOffer += 1 }
        payload.removeAll(keepingCapacity: true)
        LiveMessage.appendEvent(pair: pair, event, to: &payload)
        stage(on: eventChannels)
    }

    /// A finished candle (SPEC §10) on `kraken_klines` and `kraken_klines:PAIR`.
    public func record(kline: KlineRecord) {
        guard state.isAccepting else { return droppedSinceOffer += 1 }
        payload.removeAll(keepingCapacity: true)
        LiveMessage.appendKline(pair: pair, kline, to: &payload)
        stage(on: klineChannels)
    }

    public func flush() {
        let seen = state.transitions
        if staged.messageCount > 0 {
            staged.seal()
            let wanted = max(staged.storedBytes + staged.storedBytes / 4, Self.minimumBufferBytes)
            let messages = staged.messageCount + 8
            let spare: RedisCommands?
            (state, spare) = publisher.offer(staged, alreadyDropped: droppedSinceOffer, source: source)
            // Other commands: the queued ones are the publisher's now. Written ones come back
            // (`RedisPublisher.recycle`); one too small for a tick like this one is let go.
            if let spare, spare.capacity >= wanted {
                staged = spare
            } else {
                staged = RedisCommands(reservingBytes: wanted, messages: messages)
            }
        } else {
            state = publisher.offer(staged, alreadyDropped: droppedSinceOffer, source: source).state
        }
        droppedSinceOffer = 0
        if state.transitions != seen { noteTransitions(count: state.transitions - seen) }
    }

    /// Its last messages go to the publisher, which the collector closes after every sink.
    public func close() { flush() }

    public func takeLedgerNotes() -> [LedgerNote] {
        defer { notes.removeAll() }
        return notes
    }

    public func describe(into status: inout CollectorStatus) {
        let (sent, dropped) = publisher.counters(source: source)
        status.redis = OutputStatus(connected: publisher.state.isConnected, sent: sent, dropped: dropped)
    }

    static let notePrefix = "redis: "

    // MARK: - Private

    private func stage(on channels: RedisChannels) {
        payload.withUnsafeBufferPointer { stage($0, on: channels) }
    }

    private func stage(_ message: UnsafeBufferPointer<UInt8>, on channels: RedisChannels) {
        staged.append(message, channels: channels)
        handOverIfFull()
    }

    private func handOverIfFull() {
        if staged.byteCount >= Self.stageBytes { flush() }
    }

    /// Every stop and resumption since the last tick alternates this pair's notes; many of them
    /// between two ticks come down to the last one or two.
    private func noteTransitions(count: Int) {
        let odd = count % 2 == 1
        for _ in 0..<(odd ? 1 : min(count, 2)) {
            if isNotedPaused {
                let total = publisher.counters(source: source).dropped
                let dropped = total - droppedAtResume
                droppedAtResume = total
                notes.append(LedgerNote(
                    event: .outputResumed, detail: "\(Self.notePrefix)publishing again, \(dropped) messages of this pair dropped"))
            } else {
                let reason = state.downReason ?? "down"
                notes.append(LedgerNote(
                    event: .outputPaused, detail: "\(Self.notePrefix)\(reason); messages dropped until it is back"))
            }
            isNotedPaused.toggle()
        }
    }
}
