import BytebitCore

/// One market's records as LiveMessage lines to the feed server, through the process's `LiveUplink`.
/// On the recorder's thread it encodes (only while the uplink is connected: otherwise the records
/// are just counted as dropped) and stages; `flush()` hands the batch over without waiting.
public final class LiveUplinkSink: RecordSink {
    public let pair: String
    private let uplink: LiveUplink
    private var staged: [UInt8] = []
    private var stagedMessages = 0
    private var skipped = 0
    /// Read at each flush, not per record (one lock per batch).
    private var isConnected: Bool

    /// Staged bytes handed over without waiting for the tick.
    static let stageLimit = 256 * 1024

    public init(pair: String, uplink: LiveUplink) {
        self.pair = pair
        self.uplink = uplink
        isConnected = uplink.isConnected
    }

    public func record(book: VerifiedBookTop) {
        guard isConnected else { return skip() }
        append(LiveMessage.book(pair: pair, book))
    }

    public func record(trade: TradeRecord) {
        guard isConnected else { return skip() }
        append(LiveMessage.trade(pair: pair, trade))
    }

    public func record(event: LedgerRecord) {
        guard isConnected else { return skip() }
        append(LiveMessage.event(pair: pair, event))
    }

    public func flush() {
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

    private func append(_ message: [UInt8]) {
        staged.append(contentsOf: message)
        staged.append(UInt8(ascii: "\n"))
        stagedMessages += 1
        if staged.count >= Self.stageLimit { flush() }
    }

    private func skip() { skipped += 1 }
}
