import BytebitCore

/// One market's records as LiveMessage lines to the feed server, through the process's `LiveUplink`.
/// On the recorder's thread it encodes (only while the uplink is connected: otherwise the records
/// are just counted as dropped) and stages; `flush()` hands the batch over without waiting.
///
/// Books are thinned here already: no feed client gets more than one per pair per 50 ms, so a book
/// within 50 ms of the last one sent is only kept (its message copied into a reused buffer) and goes
/// out when the interval has passed or at the next `flush()`, unless a newer one replaced it. A book
/// or trade it sends or keeps is copied from the record's message, written once for the market's
/// outputs (`LiveMessageOutputs`, `SharedLiveMessage`: from the levels' JSON fragments the book
/// rendered when they changed, so writing it is a few copies). An event drops the kept book, as the
/// feed does, so the event precedes every later book of the pair.
public final class LiveUplinkSink: LiveMessageSink {
    public let pair: String
    private let uplink: LiveUplink
    /// Only touched on the recorder's thread: no run-time exclusivity checks per message.
    @exclusivity(unchecked) private var staged: [UInt8] = []
    private var stagedMessages = 0
    private var skipped = 0
    /// Read at each flush, not per record (one lock per batch).
    private var isConnected: Bool
    /// Where the newest book not sent yet (within `bookInterval` of the last one sent) is, when
    /// `keptAt` is set: the last book of this shared message (`lastBook`), which every later book of
    /// the pair replaces there and here at once (each is kept or sent), so it is not copied per book.
    private var keptIn: SharedLiveMessage?
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
        guard isConnected else {
            keptAt = nil  // older than this book, which another output may have written over it
            return skip()
        }
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
        if let at = keptAt, let message = keptIn {
            keptAt = nil
            if isConnected {
                lastBookSentAt = at
                staged.append(contentsOf: message.lastBook)
                endLine()
            }
        }
        if stagedMessages > 0 {
            uplink.enqueue(&staged, messages: stagedMessages)
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

    /// Keeps the book as its message's last book (written now unless another output did).
    private func keep(_ book: VerifiedBookTop, at: Int64, message: SharedLiveMessage) {
        _ = message.book(book)
        // The same message from book to book (the market's): assigning it again retained and
        // released it per kept book.
        if keptIn !== message { keptIn = message }
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
