/// A sink that has something to say about itself: an output that can pause and resume (Redis)
/// asks for ledger rows (`output_paused`, `output_resumed`) and adds its counters to the market's
/// status file. The recorder asks at each tick, on its own thread.
public protocol ReportingSink: RecordSink {
    /// Ledger rows to record (in the files and to every sink), each handed over once.
    func takeLedgerNotes() -> [LedgerNote]
    /// Adds this output's state to the status the recorder is about to write.
    func describe(into status: inout CollectorStatus)
}

/// A ledger row a sink asks the recorder to write.
public struct LedgerNote: Sendable, Equatable {
    public var event: LedgerEvent
    public var detail: String

    public init(event: LedgerEvent, detail: String) {
        self.event = event
        self.detail = detail
    }
}
