import BytebitCore
import Foundation

/// A sink that keeps every record in memory (with levels of its own), for tests. Safe to read
/// from another thread than the one recording (a `QueuedSink` drains on its own thread).
public final class MemorySink: RecordSink, @unchecked Sendable {
    private let lock = NSLock()
    private var bookTops: [VerifiedBookTop] = []
    private var tradeRecords: [TradeRecord] = []
    private var eventRecords: [LedgerRecord] = []
    private var klineRecords: [KlineRecord] = []
    private var closed = false

    public init() {}

    public var books: [VerifiedBookTop] { lock.withLock { bookTops } }
    public var trades: [TradeRecord] { lock.withLock { tradeRecords } }
    public var events: [LedgerRecord] { lock.withLock { eventRecords } }
    public var klines: [KlineRecord] { lock.withLock { klineRecords } }
    public var isClosed: Bool { lock.withLock { closed } }
    /// The ledger's event names, in order.
    public var eventNames: [String] { events.map(\.event.name) }

    public func record(book: VerifiedBookTop) {
        let copy = book.copied()
        lock.withLock { bookTops.append(copy) }
    }

    public func record(trade: TradeRecord) { lock.withLock { tradeRecords.append(trade) } }

    public func record(event: LedgerRecord) { lock.withLock { eventRecords.append(event) } }

    public func record(kline: KlineRecord) { lock.withLock { klineRecords.append(kline) } }

    public func flush() {}

    public func close() { lock.withLock { closed = true } }
}
