import BytebitCore
import Testing

/// The output's ledger notes are news, not gaps: the files are untouched while Redis is down.
@Suite struct RedisLedgerEventTests {
    @Test func outputNotesAreNeutralAndQuietPerPair() {
        #expect(LedgerEvent(rawValue: "output_paused") == .outputPaused)
        #expect(LedgerEvent(rawValue: "output_resumed") == .outputResumed)
        #expect(LedgerEvent.outputPaused.gapRole == .neutral)
        #expect(LedgerEvent.outputResumed.gapRole == .neutral)
        #expect(!LedgerEvent.gapOpeningNames.contains("output_paused"))
        // The publisher logs the pause once per process; the per-pair rows stay at debug.
        #expect(LedgerEvent.outputPaused.logLevel == .debug)
        #expect(LedgerEvent.outputResumed.logLevel == .debug)
    }
}
