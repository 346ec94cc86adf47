import BytebitCore
import Foundation
import Testing

/// The connection budget under failures (issue 10 item 4): 672 pairs with default settings, start-up,
/// two blips that drop every connection and one collector in a crash loop, within ten minutes.
@Suite struct SupervisorConnectionBudgetTests {
    /// Asks the ledger until it grants an attempt, moving a manual clock to each `retryAt`.
    /// Returns when the attempt went.
    static func connect(_ ledger: ConnectionLedger, from start: UTCTimestamp) throws -> UTCTimestamp {
        var now = start
        while let retryAt = try ledger.reserveAttempt(now: now) { now = retryAt }
        return now
    }

    static func at(seconds: Double) -> UTCTimestamp {
        UTCTimestamp(microsecondsSince1970: 1_780_000_000_000_000 + Int64(seconds * 1_000_000))
    }

    @Test func startupTwoBlipsAndACrashLoopStayWellUnderKrakensLimit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("budget-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = ConnectionLedger(path: folder.appendingPathComponent("connections.ledger").path)

        let pairs = try ConfigMarketGroupingTests.onlinePairs()
        let config = try ConfigLoader.parse(text: "all_markets:\n", fileName: "config.yaml", directory: folder.path)
        let groups = config.groups(for: config.recordedMarkets(online: pairs))
        #expect(groups.flatMap(\.pairs).count == 672)
        let connections = groups.count + 1  // every collector, and the instrument watcher

        // Who asks to connect and when, processed in time order like the real processes would.
        enum Asker { case reconnect(event: Int64), crashLoop }
        var requests: [(at: Int64, asker: Asker)] = []
        // Start-up at 0 s, blips at 200 s and 400 s: every connection reconnects.
        for eventSecond in [0.0, 200, 400] {
            let event = Self.at(seconds: eventSecond).microseconds
            requests += Array(repeating: (event, Asker.reconnect(event: event)), count: connections)
        }
        // One collector also crashes a second after every start, for the whole ten minutes.
        requests.append((Self.at(seconds: 1).microseconds, .crashLoop))
        var backoff = RestartBackoff(policy: RestartPolicy())
        let end = Self.at(seconds: 599).microseconds
        var attempts = 0
        while let next = requests.indices.min(by: { requests[$0].at < requests[$1].at }) {
            let request = requests.remove(at: next)
            guard request.at < end else { continue }
            if let retryAt = try ledger.reserveAttempt(now: UTCTimestamp(microsecondsSince1970: request.at)) {
                requests.append((retryAt.microseconds, request.asker))
                continue
            }
            attempts += 1
            switch request.asker {
            case .reconnect(let event):
                // Each is back within 60 s: the budget never holds a reconnect for long.
                #expect(request.at - event <= 60_000_000)
            case .crashLoop:
                let decision = backoff.childExited(.exited(1), ranForMicroseconds: 1_000_000, jitter: 0)
                if case .restart(let delay) = decision { requests.append((request.at + 1_000_000 + delay, .crashLoop)) }
            }
        }
        let counted = try ledger.recentAttemptCount(now: Self.at(seconds: 599))
        #expect(counted == attempts)
        #expect(attempts <= 100, "\(attempts) attempts in ten minutes (\(connections) connections)")
        #expect(attempts <= ConnectionLedger.defaultLimit)
    }

    /// Without grouping (one connection per market) the same start-up alone would exceed the budget:
    /// this is what the grouping prevents, and it fails if `auto` stops grouping above 20 markets.
    @Test func oneConnectionPerMarketWouldNotFit() throws {
        let pairs = try ConfigMarketGroupingTests.onlinePairs()
        #expect(MarketGrouping.groups(for: pairs, setting: .fixed(1)).count > ConnectionLedger.defaultLimit)
        #expect(MarketGrouping.groups(for: pairs, setting: .auto).count * 3 < 100)
    }
}
