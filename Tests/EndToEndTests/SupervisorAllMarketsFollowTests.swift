import BytebitCore
import Foundation
import Testing

/// `bytebit run` with `all_markets` follows Kraken's listing live (SPEC §7): a pair the simulator
/// lists is recorded, a pair it delists gets its `delisted` row and leaves the run.
@Suite(.serialized) struct SupervisorAllMarketsFollowTests {
    @Test func allMarketsRecordsAnAddedPairAndStopsADelistedOne() throws {
        let run = try SupervisorCollectorTests.SimulatedRun(
            "sup-all-follow", markets: [], simulatorArguments: ["--control-port", "0"])
        defer { run.simulator.stop() }
        let control = try SimulatorControl(run.simulator)
        try SupervisorGroupedRunTests.writeConfig(run, "all_markets:\n  quote: [USD]\n")
        try run.start()
        let admitted = ["ARB-USD", "BTC-USD", "ETH-USD"]
        try SupervisorGroupedRunTests.waitForSnapshots(run, admitted)

        #expect(try control.get("/control/list?pair=SOL/USD&price_precision=2&qty_precision=8").status == 200)
        try SupervisorGroupedRunTests.waitForSnapshots(run, ["SOL-USD"])
        try waitUntil("the run carries SOL-USD", seconds: 30) {
            run.harness.state()?.markets.map(\.market).sorted() == (admitted + ["SOL-USD"]).sorted()
        }

        #expect(try control.get("/control/delist?pair=ETH/USD").status == 200)
        try waitUntil("ETH-USD leaves the run", seconds: 30) {
            run.harness.state()?.markets.map(\.market).sorted() == ["ARB-USD", "BTC-USD", "SOL-USD"]
        }
        try waitUntil("ETH-USD's ledger says delisted and stopped", seconds: 10) {
            let events = run.events("ETH-USD")
            return events.contains("delisted") && events.last == "stopped"
        }
        // The others record on.
        let rowsBefore = run.recorded("BTC-USD").count("orderbook")
        try waitUntil("BTC-USD records on", seconds: 20) { run.recorded("BTC-USD").count("orderbook") > rowsBefore + 5 }
        #expect(!run.events("BTC-USD").contains("delisted"))
        run.harness.supervisor?.signal(SIGTERM)
        #expect(try run.harness.waitForSupervisorExit() == 0)
    }
}
