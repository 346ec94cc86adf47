import BytebitCore

/// One market's records as LiveMessage lines to the feed server, through the process's `LiveUplink`.
/// On the recorder's thread it encodes (only while the uplink is connected: otherwise the records
/// are just counted as dropped) and stages; `flush()` hands the batch over without waiting.
///
/// Books are thinned here already: no feed client gets more than one per pair per 50 ms, so a book
/// within 50 ms of the last one sent is only kept (its row text copied into a reused buffer) and goes
/// out when the interval has passed or at the next `flush()`, unless a newer one replaced it. Encoding
/// every book cost the collector a third more CPU per message (`bytebit-bench live-cost`). A book
/// or trade it sends is copied from the record's message, written once for the market's outputs
/// (`LiveMessageOutputs`: Redis writes every book's anyway). An event
/// drops the kept book, as the feed does, so the event precedes every later book of the pair. The
/// JSON is written straight into the staged lines, from the row text the recorder formatted once
/// for every sink (`VerifiedBookTop.text`).
public final class LiveUplinkSink: LiveMessageSink {
    public let pair: String
    private let uplink: LiveUplink
    /// Only touched on the recorder's thread: no run-time exclusivity checks per message.
    @exclusivity(unchecked) private var staged: [UInt8] = []
    private var stagedMessages = 0
    private var skipped = 0
    /// Read at each flush, not per record (one lock per batch).
    private var isConnected: Bool
    /// The newest book not sent yet (within `bookInterval` of the last one sent), when `keptAt` is set.
    @exclusivity(unchecked) private var kept = BookRowText()
    /// The kept book as its message instead, when the market's outputs had written it already
    /// (Redis on: a copy of the JSON costs half a copy of the row text and its marks).
    @exclusivity(unchecked) private var keptMessage: [UInt8] = []
    private var isKeptAsMessage = false
    /// When the kept book was received; nil while none is kept.
    private var keptAt: Int64?
    private var lastBookSentAt: Int64?
    /// The message of a book or trade given without one (`record(book:)`, `record(trade:)`).
    private let ownMessage: SharedLiveMessage

    /// The feed's per-client book interval (`LiveClientLimits.bookInterval`), by the books' receive time.
    static let bookInterval: Int64 = LiveClientLimits().bookInterval

    /// Staged bytes handed over without waiting for the tick.
    static let stageLimit = 256 * 1024

    public init(pair: String, uplink: LiveUplink) {
        self.pair = pair
        self.uplink = uplink
        ownMessage = SharedLiveMessage(pair: pair)
        isConnected = uplink.isConnected
    }

    public func record(book: VerifiedBookTop) {
        ownMessage.reset()
        record(book: book, message: ownMessage)
    }

    public func record(book: VerifiedBookTop, message: SharedLiveMessage) {
        guard isConnected else { return skip() }
        let at = book.receivedAt.microseconds
        if let last = lastBookSentAt, at - last < Self.bookInterval, at >= last {
            keep(book, at: at, message: message)
            return
        }
        keptAt = nil
        lastBookSentAt = at
        staged.append(contentsOf: message.book(book))
        endLine()
    }

    public func record(trade: TradeRecord) {
        ownMessage.reset()
        record(trade: trade, message: ownMessage)
    }

    public func record(trade: TradeRecord, message: SharedLiveMessage) {
        guard isConnected else { return skip() }
        staged.append(contentsOf: message.trade(trade))
        endLine()
    }

    public func record(event: LedgerRecord) {
        keptAt = nil  // from before the event: the feed would drop it too
        guard isConnected else { return skip() }
        LiveMessage.appendEvent(pair: pair, event, to: &staged)
        endLine()
    }

    /// A finished candle, in order with the trades (the feed's `kline` channel).
    public func record(kline: KlineRecord) {
        guard isConnected else { return skip() }
        LiveMessage.appendKline(pair: pair, kline, to: &staged)
        endLine()
    }

    public func flush() {
        if let at = keptAt {
            keptAt = nil
            if isConnected {
                lastBookSentAt = at
                if isKeptAsMessage {
                    staged.append(contentsOf: keptMessage)
                } else {
                    LiveMessage.appendBook(pair: pair, kept, to: &staged)
                }
                endLine()
            }
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

    /// Copies the book's message (when already written) or row text into the kept buffers, which
    /// keep their capacity (no allocation per book, and no hold on the recorder's buffers).
    private func keep(_ book: VerifiedBookTop, at: Int64, message: SharedLiveMessage) {
        isKeptAsMessage = message.isWritten
        if isKeptAsMessage {
            keptMessage.removeAll(keepingCapacity: true)
            keptMessage.append(contentsOf: message.book(book))
        } else if let text = book.text {
            kept.copy(text)
        } else {
            kept.format(book, levels: max(book.bids.count, book.asks.count))
        }
        keptAt = at
    }

    /// Ends the message just appended to `staged`.
    private func endLine() {
        staged.append(UInt8(ascii: "\n"))
        stagedMessages += 1
        if staged.count >= Self.stageLimit { flush() }
    }

    private func skip() { skipped += 1 }
}
