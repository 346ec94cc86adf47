/// Today's CSV path as a sink: rows are formatted in place into a `RowBatch` on the recorder's thread
/// (no allocation per number) and handed to the `RecordWriter` thread at each `flush()` or as soon as
/// the batch is large. The files are the record of truth, so the recorder also reads their counters.
public final class CSVFileSink: RecordSink {
    public let writer: RecordWriter
    /// Only the recorder's thread touches it (every call of this sink comes from there), so the
    /// run-time exclusivity check of a class's stored property (~200 instructions per book row,
    /// through thread-local storage) is left out.
    @exclusivity(unchecked) private var batch: RowBatch

    /// A batch this large is handed to the writer at once instead of at the next tick.
    public static let handOverBytes = 256 * 1024

    public init(writer: RecordWriter) {
        self.writer = writer
        batch = writer.makeBatch()
    }

    public func record(book: VerifiedBookTop) {
        batch.appendOrderBook(book)
        if batch.byteCount >= Self.handOverBytes { writer.submit(&batch) }
    }

    /// The row of `book`'s best `levels`, read from the book in place (`RowBatch.appendOrderBook(
    /// timestamp:receivedAt:levels:of:)`): the recorder's path when the files are its only sink.
    public func recordBook(timestamp: UTCTimestamp, receivedAt: UTCTimestamp, levels: Int, of book: inout OrderBook) {
        batch.appendOrderBook(timestamp: timestamp, receivedAt: receivedAt, levels: levels, of: &book)
        if batch.byteCount >= Self.handOverBytes { writer.submit(&batch) }
    }

    public func record(trade: TradeRecord) {
        batch.appendTrade(
            timestamp: trade.timestamp, receivedAt: trade.receivedAt, tradeID: trade.tradeID, side: trade.side,
            price: trade.price, qty: trade.qty, orderType: trade.orderType)
    }

    public func record(event: LedgerRecord) {
        batch.appendEvent(timestamp: event.timestamp, event: event.event.name, detail: event.detail)
    }

    public func record(kline: KlineRecord) {
        batch.appendKline(kline)
    }

    public func record(ticker: TickerRecord) {
        batch.appendTicker(ticker)
    }

    public func record(candle: OHLCRecord) {
        batch.appendCandle(candle)
    }

    public func flush() {
        writer.submit(&batch)
    }

    public func close() {
        writer.submit(&batch)
        writer.close()
    }

    /// Rows written today, rows lost, the last write error.
    public var counters: RecordWriterCounters { writer.counters }
}
