/// An output that sends books and trades as LiveMessage JSON (SPEC §9: Redis, the live feed). Behind
/// `LiveMessageOutputs` it is handed each record with the record's shared message, which it copies
/// (writing it only when no output of the market did yet); its plain `record(book:)` and
/// `record(trade:)` write the message themselves.
public protocol LiveMessageSink: RecordSink {
    /// The book, with its message for this call (`message.book(book)`).
    func record(book: VerifiedBookTop, message: SharedLiveMessage)
    /// The trade, with its message for this call (`message.trade(trade)`).
    func record(trade: TradeRecord, message: SharedLiveMessage)
}
