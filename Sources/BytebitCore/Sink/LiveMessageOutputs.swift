/// A market's outputs that send LiveMessage JSON (Redis and the live feed), as one sink: each book's
/// and trade's message is written once for all of them (`SharedLiveMessage`), not once per output.
/// Every output still gets every record, in order, and reports for itself (`ReportingSink`).
///
/// The first two outputs are stored properties of their own, the rest (none with Redis and the
/// live feed) in an array: calling an output read from an array retains and releases it around
/// the call (~80 instructions a book for two), one read from a `let` property does not.
public final class LiveMessageOutputs: ReportingSink {
    public let outputs: [any LiveMessageSink]
    private let first: (any LiveMessageSink)?
    private let second: (any LiveMessageSink)?
    private let others: [any LiveMessageSink]
    private let reporting: [any ReportingSink]
    private let message: SharedLiveMessage

    public init(pair: String, outputs: [any LiveMessageSink]) {
        self.outputs = outputs
        first = outputs.first
        second = outputs.dropFirst().first
        others = Array(outputs.dropFirst(2))
        reporting = outputs.compactMap { $0 as? any ReportingSink }
        message = SharedLiveMessage(pair: pair)
    }

    /// The market's sinks beside its files: outputs that send LiveMessage JSON share one message
    /// per record when there are two or more of them.
    public static func combining(pair: String, _ outputs: [any LiveMessageSink]) -> [any RecordSink] {
        outputs.count < 2 ? outputs : [LiveMessageOutputs(pair: pair, outputs: outputs)]
    }

    public func record(book: VerifiedBookTop) {
        message.reset()
        first?.record(book: book, message: message)
        second?.record(book: book, message: message)
        if !others.isEmpty { for output in others { output.record(book: book, message: message) } }
    }

    public func record(trade: TradeRecord) {
        message.reset()
        first?.record(trade: trade, message: message)
        second?.record(trade: trade, message: message)
        if !others.isEmpty { for output in others { output.record(trade: trade, message: message) } }
    }

    public func record(event: LedgerRecord) {
        for output in outputs { output.record(event: event) }
    }

    public func record(kline: KlineRecord) {
        for output in outputs { output.record(kline: kline) }
    }

    public func record(ticker: TickerRecord) {
        for output in outputs { output.record(ticker: ticker) }
    }

    public func record(candle: OHLCRecord) {
        for output in outputs { output.record(candle: candle) }
    }

    public func flush() {
        for output in outputs { output.flush() }
    }

    public func close() {
        for output in outputs { output.close() }
    }

    /// Asked at every tick: no array is made while the outputs have no notes (the usual case).
    public func takeLedgerNotes() -> [LedgerNote] {
        var notes: [LedgerNote] = []
        for output in reporting {
            let taken = output.takeLedgerNotes()
            if !taken.isEmpty { notes += taken }
        }
        return notes
    }

    public func describe(into status: inout CollectorStatus) {
        for output in reporting { output.describe(into: &status) }
    }
}
