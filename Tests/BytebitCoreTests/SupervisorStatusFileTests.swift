import Foundation
import Testing
@testable import BytebitCore

@Suite struct SupervisorStatusFileTests {
    private func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-status-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.path
    }

    private func instant(_ text: String) throws -> UTCTimestamp {
        try #require(UTCTimestamp(text))
    }

    @Test func readsTheContractExample() throws {
        let folder = try temporaryFolder()
        let json = """
            {"market":"BTC-USD","pid":123,"state":"live","started_at":"2026-11-21T13:00:00.000000Z",
            "updated_at":"2026-11-21T13:05:00.250000Z","last_message_at":null,
            "rows_today":{"orderbook":10,"trades":2,"events":3},"checksum_failures":1,"reconnects":4}
            """
        try Data(json.utf8).write(to: URL(fileURLWithPath: "\(folder)/BTC-USD.json"))
        let status = try CollectorStatus.read(from: "\(folder)/BTC-USD.json")
        #expect(status == CollectorStatus(
            market: "BTC-USD", pid: 123, state: "live", startedAt: try instant("2026-11-21T13:00:00Z"),
            updatedAt: try instant("2026-11-21T13:05:00.25Z"), lastMessageAt: nil,
            rowsToday: .init(orderbook: 10, trades: 2, events: 3), checksumFailures: 1, reconnects: 4))
    }

    @Test func writesTheContractKeysAndReadsThemBack() throws {
        let folder = try temporaryFolder()
        let path = "\(folder)/ETH-USD.json"
        let status = CollectorStatus(
            market: "ETH-USD", pid: 77, state: "resyncing", startedAt: try instant("2026-11-21T13:00:00.000001Z"),
            updatedAt: try instant("2026-11-21T13:00:01Z"), lastMessageAt: try instant("2026-11-21T13:00:00.9Z"),
            rowsToday: .init(orderbook: 5, trades: 6, events: 7), checksumFailures: 0, reconnects: 2)
        try status.write(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"started_at\":\"2026-11-21T13:00:00.000001Z\""))
        #expect(text.contains("\"last_message_at\":\"2026-11-21T13:00:00.900000Z\""))
        #expect(text.contains("\"rows_today\":{\"events\":7,\"orderbook\":5,\"trades\":6}"))
        #expect(text.contains("\"checksum_failures\":0"))
        #expect(try CollectorStatus.read(from: path) == status)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["ETH-USD.json"])
    }

    @Test func aMissingLastMessageIsWrittenAsNull() throws {
        let folder = try temporaryFolder()
        let moment = try instant("2026-11-21T13:00:00Z")
        try CollectorStatus(market: "BTC-USD", pid: 1, state: "connecting", startedAt: moment, updatedAt: moment)
            .write(to: "\(folder)/s.json")
        #expect(try String(contentsOfFile: "\(folder)/s.json", encoding: .utf8).contains("\"last_message_at\":null"))
    }

    @Test func garbageIsAnErrorNamingTheFile() throws {
        let folder = try temporaryFolder()
        try Data("{\"market\":".utf8).write(to: URL(fileURLWithPath: "\(folder)/bad.json"))
        #expect(throws: SupervisorError.self) { try CollectorStatus.read(from: "\(folder)/bad.json") }
        do {
            _ = try CollectorStatus.read(from: "\(folder)/missing.json")
            Issue.record("reading a missing file succeeded")
        } catch {
            #expect(error == .cannotRead(path: "\(folder)/missing.json", reason: "no such file"))
        }
    }

    @Test func theSupervisorStateRoundTripsAndSummarises() throws {
        let folder = try temporaryFolder()
        let moment = try instant("2026-11-21T13:00:00Z")
        let state = SupervisorState(
            pid: 10, startedAt: moment, updatedAt: moment, configPath: "/etc/bytebit/config.yaml",
            markets: [
                .init(market: "BTC-USD", phase: .running, pid: 11, startedAt: moment, restarts: 0),
                .init(market: "ETH-USD", phase: .waiting, restarts: 3, lastExit: "exited with failure (1)",
                      nextStartAt: moment),
                .init(market: "SOL-USD", phase: .held, restarts: 1, lastExit: "exited with configuration error (78)"),
            ])
        try state.write(to: "\(folder)/state.json")
        #expect(try SupervisorState.read(from: "\(folder)/state.json") == state)
        #expect(state.summary == "1/3 markets running, 4 restarts, 1 waiting to restart, 1 held by a configuration error")
    }

    @Test func theRunFolderSitsInTheLogFolder() throws {
        let run = RunDirectory(logDirectory: "/var/lib/bytebit/logs")
        #expect(run.stateFile == "/var/lib/bytebit/logs/run/state.json")
        #expect(run.connectionLedger == "/var/lib/bytebit/logs/run/connect-ledger")
        #expect(run.statusFile(for: try #require(MarketPair(parsing: "XBT-USD"))) == "/var/lib/bytebit/logs/run/markets/BTC-USD.json")
    }
}
