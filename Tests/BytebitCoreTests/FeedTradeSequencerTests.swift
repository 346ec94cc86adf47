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
}
