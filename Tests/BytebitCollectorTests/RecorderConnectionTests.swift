import BytebitCore
import BytebitTestSupport
import Testing

/// Connections that fail or go silent, played through the scripted transport.
@Suite struct RecorderConnectionTests {
    @Test func refusedAttemptsAreRetriedAndNothingIsSentBeforeAConnectionOpens() throws {
        let harness = try RecorderHarness()
        var book = RecorderBookRulesTests.ethBTCBook()
        let snapshot = book.snapshot(bids: RecorderBookRulesTests.bids, asks: RecorderBookRulesTests.asks)
        let run = try harness.run([
            .refused("connection refused"), .refused("connection refused"),
            ScriptedConnection(harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8)),
        ])
        #expect(run.openedConnections == 1)
        // One instrument subscription: the refused attempts sent nothing.
        #expect(run.sentRequests.filter { $0.contains("\"channel\":\"instrument\"") }.count == 1)
        #expect(run.books.count == 1)
        #expect(run.exitCode == 0)
    }

    @Test func aSilentConnectionIsClosedAndNoRowsComeUntilTheNextSnapshot() throws {
        let harness = try RecorderHarness(mode: .interval(microseconds: 1_000_000))
        harness.policy.staleAfter = .seconds(3)
        var book = RecorderBookRulesTests.ethBTCBook()
        let first = book.snapshot(bids: RecorderBookRulesTests.bids, asks: RecorderBookRulesTests.asks)
        let second = book.snapshot(bids: RecorderBookRulesTests.bids, asks: RecorderBookRulesTests.asks)
        let silent = harness.frames(toLiveWith: first, pricePrecision: 6, qtyPrecision: 8)
            + RecorderHarness.quiet(seconds: 2) + [.advance(microseconds: 20_000_000)]
            // Never played: the recorder closed this connection when it went stale.
            + [.frame(book.update(bids: [("0.031344", "1.00000000")]))]
        let run = try harness.run([
            ScriptedConnection(silent),
            ScriptedConnection(harness.frames(toLiveWith: second, pricePrecision: 6, qtyPrecision: 8)
                + RecorderHarness.quiet(seconds: 2)),
        ])
        #expect(run.openedConnections == 2)
        let stale = try #require(run.events.first { $0.event.name == "stale" }?.timestamp)
        let resynced = try #require(run.events.last { $0.event.name == "snapshot" }?.timestamp)
        #expect(!run.books.contains { $0.timestamp >= stale && $0.timestamp < resynced })
        #expect(run.books.contains { $0.timestamp > resynced })
    }
}
