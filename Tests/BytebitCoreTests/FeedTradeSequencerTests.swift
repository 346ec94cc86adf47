import Testing

@testable import BytebitCore

@Suite struct FeedTradeSequencerTests {
    static func trades(_ ids: some Sequence<UInt64>, snapshot: Bool) -> [TradeArrival] {
        ids.map {
            TradeArrival(
                tradeID: $0, timestamp: UTCTimestamp(microsecondsSince1970: FeedHarness.start.microseconds + Int64($0)),
                isSnapshot: snapshot)
        }
    }

    static func writtenIDs(_ decisions: [TradeDecision], of trades: [TradeArrival]) -> [UInt64] {
        decisions.map { trades[$0.index].tradeID }
    }

    @Test func firstSnapshotIsWrittenWholeWithoutAGap() {
        var sequencer = TradeSequencer()
        let snapshot = Self.trades(100...149, snapshot: true)
        let decisions = sequencer.admit(snapshot)
        #expect(Self.writtenIDs(decisions, of: snapshot) == Array(100...149))
        #expect(decisions.allSatisfy { $0.gapBefore == nil })
        #expect(sequencer.lastRecordedTradeID == 149)
    }

    @Test func resubscribeSnapshotNeverDuplicatesRecordedTrades() {
        var sequencer = TradeSequencer()
        _ = sequencer.admit(Self.trades(100...149, snapshot: true))
        let live = Self.trades([150, 151], snapshot: false)
        #expect(Self.writtenIDs(sequencer.admit(live), of: live) == [150, 151])
        let again = Self.trades(110...159, snapshot: true)
        let decisions = sequencer.admit(again)
        #expect(Self.writtenIDs(decisions, of: again) == Array(152...159))
        #expect(decisions.allSatisfy { $0.gapBefore == nil })
        let repeated = Self.trades([158, 159], snapshot: false)
        #expect(sequencer.admit(repeated).isEmpty)
    }

    @Test func restartContinuesAfterTheLastRecordedID() {
        var sequencer = TradeSequencer(lastRecordedTradeID: 155)
        let snapshot = Self.trades(130...179, snapshot: true)
        let decisions = sequencer.admit(snapshot)
        #expect(Self.writtenIDs(decisions, of: snapshot) == Array(156...179))
        #expect(decisions.allSatisfy { $0.gapBefore == nil })
    }

    @Test func jumpInLiveTradesIsAGap() throws {
        var sequencer = TradeSequencer()
        _ = sequencer.admit(Self.trades([10, 11], snapshot: false))
        let batch = Self.trades([12, 15, 16], snapshot: false)
        let decisions = sequencer.admit(batch)
        #expect(Self.writtenIDs(decisions, of: batch) == [12, 15, 16])
        #expect(decisions.map { $0.gapBefore != nil } == [false, true, false])
        let gap = try #require(decisions[1].gapBefore)
        #expect(gap.lastRecordedTradeID == 12 && gap.nextTradeID == 15 && gap.missingCount == 2)
        guard case .recordEvent(let name, let detail) = gap.event else {
            Issue.record("not an event")
            return
        }
        #expect(name == .tradeGap)
        #expect(detail.contains("trade_id 12 -> 15"))
        #expect(detail.contains("2 missing"))
    }

    @Test func snapshotThatDoesNotReachBackIsAGap() throws {
        var sequencer = TradeSequencer(lastRecordedTradeID: 200)
        let snapshot = Self.trades(260...309, snapshot: true)
        let decisions = sequencer.admit(snapshot)
        #expect(decisions.count == 50)
        let gap = try #require(decisions.first?.gapBefore)
        #expect(gap.lastRecordedTradeID == 200 && gap.nextTradeID == 260 && gap.isAfterSnapshot)
        #expect(decisions.dropFirst().allSatisfy { $0.gapBefore == nil })
    }

    @Test func unorderedSnapshotIsWrittenInIDOrder() {
        var sequencer = TradeSequencer(lastRecordedTradeID: 3)
        let snapshot = Self.trades([7, 5, 6, 4, 2], snapshot: true)
        let decisions = sequencer.admit(snapshot)
        #expect(Self.writtenIDs(decisions, of: snapshot) == [4, 5, 6, 7])
        #expect(decisions.allSatisfy { $0.gapBefore == nil })
    }

    /// Messages in id order admitted one trade at a time (`admitInOrder`, the recorder's path)
    /// decide exactly what `admit(_:)` decides for the whole message: the same trades, the same
    /// gaps, duplicates of recorded ids left out, the same state after.
    @Test func inOrderTradesAdmittedOneByOneDecideAsTheWholeMessage() {
        var generator = SeededRandomNumberGenerator(seed: 11)
        var whole = TradeSequencer(lastRecordedTradeID: 100)
        var oneByOne = whole
        var next: UInt64 = 95
        var gaps = 0
        var duplicates = 0
        for message in 0..<2000 {
            var ids: [UInt64] = []
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                // Mostly the next id; sometimes a jump (a gap) or a step back (already recorded).
                switch generator.next() % 10 {
                case 0: next += 2 + generator.next() % 5
                case 1: next = next > 6 ? next - 5 : next
                default: next += 1
                }
                if ids.last.map({ next > $0 }) ?? true { ids.append(next) }
            }
            let arrivals = Self.trades(ids, snapshot: message % 50 == 0)
            let expected = whole.admit(arrivals)
            let decided = arrivals.indices.compactMap { oneByOne.admitInOrder(arrivals[$0], at: $0) }
            #expect(decided == expected)
            #expect(oneByOne == whole)
            gaps += expected.filter { $0.gapBefore != nil }.count
            duplicates += arrivals.count - expected.count
        }
        #expect(gaps > 100 && duplicates > 100)
    }
}
