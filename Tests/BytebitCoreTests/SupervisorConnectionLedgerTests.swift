import Foundation
import Testing
@testable import BytebitCore

@Suite struct SupervisorConnectionLedgerTests {
    private let start = UTCTimestamp(microsecondsSince1970: 1_800_000_000_000_000)

    private func temporaryLedgerPath() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-ledger-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("connect-ledger").path
    }

    private func later(_ microseconds: Int64) -> UTCTimestamp {
        UTCTimestamp(microsecondsSince1970: start.microseconds + microseconds)
    }

    @Test func theFirstAttemptGoesAtOnceAndIsRecorded() throws {
        let ledger = ConnectionLedger(path: try temporaryLedgerPath())
        #expect(try ledger.reserveAttempt(now: start) == nil)
        #expect(try ledger.recentAttemptCount(now: start) == 1)
    }

    @Test func attemptsAreSpacedByTheStagger() throws {
        let ledger = ConnectionLedger(path: try temporaryLedgerPath(), staggerMicroseconds: 100_000)
        #expect(try ledger.reserveAttempt(now: start) == nil)
        #expect(try ledger.reserveAttempt(now: later(40_000)) == later(100_000))
        #expect(try ledger.reserveAttempt(now: later(100_000)) == nil)
        #expect(try ledger.recentAttemptCount(now: later(100_000)) == 2)
    }

    @Test func aFullWindowWaitsForItsOldestAttemptToAgeOut() throws {
        let ledger = ConnectionLedger(
            path: try temporaryLedgerPath(), limit: 3, windowMicroseconds: 600_000_000, staggerMicroseconds: 0)
        for second in [0, 10, 20] as [Int64] {
            #expect(try ledger.reserveAttempt(now: later(second * 1_000_000)) == nil)
        }
        #expect(try ledger.reserveAttempt(now: later(30_000_000)) == later(600_000_000))
        #expect(try ledger.reserveAttempt(now: later(599_999_999)) == later(600_000_000))
        #expect(try ledger.reserveAttempt(now: later(600_000_000)) == nil)
        #expect(try ledger.reserveAttempt(now: later(600_000_001)) == later(610_000_000))
    }

    @Test func severalLedgersOnOneFileShareOneBudget() throws {
        let path = try temporaryLedgerPath()
        let ledgers = (0..<3).map { _ in ConnectionLedger(path: path, limit: 4, staggerMicroseconds: 0) }
        var granted = 0
        for index in 0..<9 where try ledgers[index % 3].reserveAttempt(now: later(Int64(index))) == nil {
            granted += 1
        }
        #expect(granted == 4)
        #expect(try ledgers[0].recentAttemptCount(now: later(10)) == 4)
    }

    @Test func concurrentCallersNeverOverspendOrCrowd() async throws {
        let path = try temporaryLedgerPath()
        let clock = ManualClock(start)
        let limit = 20
        // Fifty "collectors", each with its own ledger (its own open file, as in separate processes),
        // all asking at the same instant, again and again while time moves on.
        let grants = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<50 {
                group.addTask {
                    let ledger = ConnectionLedger(path: path, limit: limit, staggerMicroseconds: 100_000)
                    var mine: [Int64] = []
                    for _ in 0..<40 {
                        let now = clock.now()
                        if try ledger.reserveAttempt(now: now) == nil { mine.append(now.microseconds) }
                        clock.advance(microseconds: 7_000)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let recorded = ConnectionLedger.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(grants.count <= limit)
        #expect(grants.count > 1)
        #expect(recorded.sorted() == grants.sorted())
        let sorted = grants.sorted()
        for (earlier, next) in zip(sorted, sorted.dropFirst()) {
            #expect(next - earlier >= 100_000)
        }
    }

    @Test func aTornLineIsIgnored() throws {
        let path = try temporaryLedgerPath()
        try Data("\(start.microseconds)\n17999\u{0}\n".utf8).write(to: URL(fileURLWithPath: path))
        let ledger = ConnectionLedger(path: path, staggerMicroseconds: 0)
        #expect(try ledger.recentAttemptCount(now: later(1)) == 1)
    }

    @Test func anUnwritableFolderIsAnErrorNamingThePath() {
        let ledger = ConnectionLedger(path: "/nonexistent-bytebit-folder/connect-ledger")
        #expect(throws: SupervisorError.self) { try ledger.reserveAttempt(now: start) }
        do {
            _ = try ledger.reserveAttempt(now: start)
        } catch {
            #expect(error.description.contains("/nonexistent-bytebit-folder/connect-ledger"))
        }
    }
}
