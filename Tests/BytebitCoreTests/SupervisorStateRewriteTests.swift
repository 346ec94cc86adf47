import Foundation
import Testing

@testable import BytebitCore

/// The state file is rewritten when what it shows changes, and otherwise only for its liveness refresh.
@Suite struct SupervisorStateRewriteTests {
    private let start = UTCTimestamp(microsecondsSince1970: 1_800_000_000_000_000)

    private func state(at offset: Int64, markets: [SupervisorState.Market]) -> SupervisorState {
        SupervisorState(
            pid: 42, startedAt: start, updatedAt: start.adding(microseconds: offset), configPath: "/srv/config.yaml",
            markets: markets)
    }

    private let running = [SupervisorState.Market(market: "BTC-USD", phase: .running, pid: 7)]

    @Test func theFirstStateIsAlwaysWritten() {
        #expect(state(at: 0, markets: running).fileUpdate(after: nil) == .rewrite)
    }

    @Test func anUnchangedStateWaitsForTheRefreshWhichOnlyTouchesTheFile() {
        let written = state(at: 0, markets: running)
        #expect(state(at: 1_000_000, markets: running).fileUpdate(after: written) == nil)
        #expect(state(at: SupervisorState.refreshMicroseconds - 1, markets: running).fileUpdate(after: written) == nil)
        #expect(state(at: SupervisorState.refreshMicroseconds, markets: running).fileUpdate(after: written) == .touch)
        #expect(SupervisorState.refreshMicroseconds * 2 <= StatusReport.staleAfterMicroseconds,
                "a refresh always lands well before a reader calls the supervisor gone")
    }

    @Test func aChangeAReaderSeesIsWrittenAtOnce() {
        let written = state(at: 0, markets: running)
        var restarted = running
        restarted[0].pid = 8
        restarted[0].restarts = 1
        #expect(state(at: 1, markets: restarted).fileUpdate(after: written) == .rewrite)
        #expect(state(at: 1, markets: running + [.init(market: "ETH-USD", phase: .waiting)]).fileUpdate(after: written)
            == .rewrite)
        var moved = state(at: 1, markets: running)
        moved.configPath = "/srv/other.yaml"
        #expect(moved.fileUpdate(after: written) == .rewrite)
    }

    @Test func aTouchedStateFileReadsAsRefreshed() throws {
        let path = NSTemporaryDirectory() + "bytebit-state-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let written = state(at: 0, markets: running)
        try written.write(to: path)
        let later = start.adding(microseconds: 7_000_000)
        try SupervisorState.touch(path: path, now: later)
        let read = try SupervisorState.read(from: path).refreshed(path: path)
        #expect(read.updatedAt == later)
        #expect(read.markets == written.markets)
        #expect(StatusReport.isRunning(read, pidIsAlive: true, now: later.adding(microseconds: 10_000_000)))
        #expect(!StatusReport.isRunning(written, pidIsAlive: true, now: later.adding(microseconds: 10_000_000)))
    }
}
