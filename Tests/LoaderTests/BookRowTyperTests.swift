import BytebitCore
import BytebitLoader
import Testing

@Suite struct BookRowTyperTests {
    private let day: Int64 = 20_000 * 86_400_000_000

    private func typer(_ events: [(Int64, String, String)], mode: BookMode = .update) -> BookRowTyper {
        BookRowTyper(defaultMode: mode, dayStart: day, events: events.map { (day + $0.0, $0.1, $0.2) })
    }

    @Test func theFirstRowAfterAGapUpToItsSnapshotEventIsTheSnapshot() {
        let typer = typer([(100, "started", "depth 10, levels 10, mode update"), (200, "connected", ""),
                           (300, "subscribed", "book"), (500, "snapshot", "book in sync"),
                           (900, "checksum_mismatch", ""), (950, "resync", ""), (1200, "snapshot", "book in sync")])
        // The snapshot frame was received before its ledger row was written.
        #expect(typer.type(receivedAt: day + 450, previousReceivedAt: nil) == .snapshot)
        #expect(typer.type(receivedAt: day + 600, previousReceivedAt: day + 450) == .update)
        #expect(typer.type(receivedAt: day + 800, previousReceivedAt: day + 600) == .update)
        // After the mismatch: the first row is the snapshot, the next one (same or later time) is not.
        #expect(typer.type(receivedAt: day + 1100, previousReceivedAt: day + 800) == .snapshot)
        #expect(typer.type(receivedAt: day + 1100, previousReceivedAt: day + 1100) == .update)
        #expect(typer.type(receivedAt: day + 1300, previousReceivedAt: day + 1100) == .update)
    }

    @Test func eventsThatOpenNoGapDoNotMoveTheWindow() {
        // A trade subscription acknowledged after the book snapshot was received is not a gap.
        let typer = typer([(100, "started", "mode update"), (300, "subscribed", "book"),
                           (420, "subscribed", "trade"), (500, "snapshot", "")])
        #expect(typer.type(receivedAt: day + 400, previousReceivedAt: nil) == .snapshot)
    }

    @Test func intervalModeFromTheLedgerElseFromTheConfig() {
        let ledger = typer([(100, "started", "depth 10, levels 10, mode interval"), (500, "snapshot", ""),
                            (2000, "started", "depth 10, levels 10, mode update"), (2500, "snapshot", "")])
        #expect(ledger.type(receivedAt: day + 1000, previousReceivedAt: nil) == .interval)
        #expect(ledger.type(receivedAt: day + 2400, previousReceivedAt: day + 1000) == .snapshot)
        #expect(typer([], mode: .interval(microseconds: 1_000_000)).type(receivedAt: day + 5, previousReceivedAt: nil) == .interval)
        #expect(typer([], mode: .update).type(receivedAt: day + 5, previousReceivedAt: nil) == .update)
    }
}
