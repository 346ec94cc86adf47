/// Where a market's records go once the recorder has decided they are right: the CSV files first
/// (`CSVFileSink`), later a database, a cache or a live feed. Called on the recorder's thread only,
/// in the order the records were made; a sink that may be slow goes behind a `QueuedSink`, so it
/// cannot hold up the recorder or the files.
public protocol RecordSink: AnyObject {
    /// A checksum-verified book top (its level slices are valid during the call only: copy to keep).
    func record(book: VerifiedBookTop)
    /// One trade, in trade-id order, never a duplicate.
    func record(trade: TradeRecord)
    /// One row of the events ledger.
    func record(event: LedgerRecord)
    /// One finished candle (SPEC §10), once, in the order the candles finished.
    func record(kline: KlineRecord)
    /// One ticker message (SPEC §10).
    func record(ticker: TickerRecord)
    /// One of Kraken's candles, final: its interval has ended (SPEC §10).
    func record(candle: OHLCRecord)
    /// The recorder's tick: pass buffered records on. Must not block on I/O.
    func flush()
    /// The recorder is stopping: deliver what is buffered, then let go of resources.
    func close()
}

extension RecordSink {
    /// Sinks that do not store candles ignore them.
    public func record(kline: KlineRecord) {}
    /// A sink that has no use for the ticker ignores it.
    public func record(ticker: TickerRecord) {}
    /// A sink that has no use for Kraken's candles ignores them.
    public func record(candle: OHLCRecord) {}
}
