import BytebitCore

/// One market's records as LiveMessage lines to the feed server, through the process's `LiveUplink`.
/// On the recorder's thread it encodes (only while the uplink is connected: otherwise the records
/// are just counted as dropped) and stages; `flush()` hands the batch over without waiting.
///
/// Books are thinned here already: no feed client gets more than one per pair per 50 ms, so a book
/// within 50 ms of the last one sent is only kept (its levels copied into reused buffers) and goes
/// out when the interval has passed or at the next `flush()`, unless a newer one replaced it. Encoding
/// every book cost the collector a third more CPU per message (`bytebit-bench live-cost`). An event
/// drops the kept book, as the feed does, so the event precedes every later book of the pair.
public final class LiveUplinkSink: RecordSink {
    public let pair: String
    private let uplink: LiveUplink
    private var staged: [UInt8] = []
    private var stagedMessages = 0
    private var skipped = 0
    /// Read at each flush, not per record (one lock per batch).
    private var isConnected: Bool
    /// The newest book not sent yet (within `bookInterval` of the last one sent).
    private var kept: VerifiedBookTop?
    private var keptBids: [PriceLevel] = []
    private var keptAsks: [PriceLevel] = []
    private var lastBookSentAt: Int64?

    /// The feed's per-client book interval (`LiveClientLimits.bookInterval`), by the books' receive time.
    static let bookInterval: Int64 = LiveClientLimits().bookInterval

    /// Staged bytes handed over without waiting for the tick.
    static let stageLimit = 256 * 1024

    public init(pair: String, uplink: LiveUplink) {
        self.pair = pair
        self.uplink = uplink
        isConnected = uplink.isConnected
    }

    public func record(book: VerifiedBookTop) {
        guard isConnected else { return skip() }
        let at = book.receivedAt.microseconds
        if let last = lastBookSentAt, at - last < Self.bookInterval, at >= last {
            keep(book)
            return
        }
        kept = nil
        send(book, at: at)
    }

    public func record(trade: TradeRecord) {
        guard isConnected else { return skip() }
        append(LiveMessage.trade(pair: pair, trade))
    }

    public func record(event: LedgerRecord) {
        kept = nil  // from before the event: the feed would drop it too
        guard isConnected else { return skip() }
        append(LiveMessage.event(pair: pair, event))
    }

    /// A finished candle, in order with the trades (the feed's `kline` channel).
    public func record(kline: KlineRecord) {
        guard isConnected else { return skip() }
        append(LiveMessage.kline(pair: pair, kline))
    }

    public func flush() {
        if let book = kept {
            kept = nil
            if isConnected { send(book, at: book.receivedAt.microseconds) }
        }
        if stagedMessages > 0 {
            uplink.enqueue(staged, messages: stagedMessages)
            staged.removeAll(keepingCapacity: true)
            stagedMessages = 0
        }
        if skipped > 0 {
            uplink.noteDropped(skipped)
            skipped = 0
        }
        isConnected = uplink.isConnected
    }

    public func close() {
        flush()
    }

    private func send(_ book: VerifiedBookTop, at: Int64) {
        lastBookSentAt = at
        append(LiveMessage.book(pair: pair, book))
    }

    /// Copies the book's levels into buffers that keep their capacity (no allocation per book).
    private func keep(_ book: VerifiedBookTop) {
        kept = nil  // let go of the buffers first, so they are mutated in place, not copied
        keptBids.removeAll(keepingCapacity: true)
        keptBids.append(contentsOf: book.bids)
        keptAsks.removeAll(keepingCapacity: true)
        keptAsks.append(contentsOf: book.asks)
        var copy = book
        copy.bids = keptBids[...]
        copy.asks = keptAsks[...]
        kept = copy
    }

    private func append(_ message: [UInt8]) {
        staged.append(contentsOf: message)
        staged.append(UInt8(ascii: "\n"))
        stagedMessages += 1
        if staged.count >= Self.stageLimit { flush() }
    }

    private func skip() { skipped += 1 }
}
