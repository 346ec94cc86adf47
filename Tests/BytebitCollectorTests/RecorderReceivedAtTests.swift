import BytebitCore
import BytebitTestSupport
import Testing

/// `received_at` is when the transport handed that frame over (read from the socket), taken per
/// frame: the WebSocket client reads a batch per wake-up (and may wait its coalescing delay before
/// reading), so stamping a batch with one instant - its end, or the next tick - would move rows.
@Suite struct RecorderReceivedAtTests {
    @Test func eachRowCarriesTheInstantItsOwnFrameWasHandedOver() throws {
        let harness = try RecorderHarness()
        var book = ScriptedBook(symbol: "ETH/BTC", depth: 10, pricePrecision: 6, qtyPrecision: 8)
        let snapshot = book.snapshot(
            bids: [("0.031348", "0.03740000"), ("0.031347", "2.87288049")],
            asks: [("0.031357", "0.03740000"), ("0.031358", "2.87194815")])
        let clock = harness.clock
        let handedOver = HandOverInstants()
        var steps = harness.frames(toLiveWith: snapshot, pricePrecision: 6, qtyPrecision: 8)
        steps.append(.perform { handedOver.instants.append(clock.now().microseconds) })
        for index in 0..<5 {
            // Frames of one read come back to back; the ticks between batches move the clock on.
            steps.append(.frame(book.update(bids: [("0.03134\(index)", "1.0000000\(index + 1)")])))
            steps.append(.perform { handedOver.instants.append(clock.now().microseconds) })
            if index == 2 { steps.append(.advance(microseconds: 2_000)) }
        }

        let run = try harness.run([ScriptedConnection(steps)])

        let stamps = run.books.map(\.receivedAt.microseconds)
        #expect(stamps.count == 6)
        #expect(stamps == handedOver.instants)
        #expect(Set(stamps).count == stamps.count, "no two frames share a stamp")
    }
}

/// The manual clock's reading right after each frame was handed over (the script runs on the
/// recorder's thread, which is the test's: `harness.run` plays it synchronously).
private final class HandOverInstants {
    var instants: [Int64] = []
}
