/// Decides which trades to write: each `trade_id` once, in order, across the 50-trade snapshot
/// Kraken sends on every (re)subscribe and across process restarts, and notices lost trades.
public struct TradeSequencer: Sendable, Equatable {
    /// The highest trade id written so far (nil: nothing recorded yet).
    public private(set) var lastRecordedTradeID: UInt64?
    /// The time of that trade, for the gap detail (nil after a restart).
    public private(set) var lastRecordedTimestamp: UTCTimestamp?

    /// A sequencer continuing after `lastRecordedTradeID`, read back from the trades file.
    public init(lastRecordedTradeID: UInt64? = nil, lastRecordedTimestamp: UTCTimestamp? = nil) {
        self.lastRecordedTradeID = lastRecordedTradeID
        self.lastRecordedTimestamp = lastRecordedTimestamp
    }

    /// Sorts one trade message into what to write, in ascending `trade_id` order. Each decision
    /// names the index of its trade in `trades`; duplicates are left out.
    public mutating func admit(_ trades: [TradeArrival]) -> [TradeDecision] {
        var decisions: [TradeDecision] = []
        decisions.reserveCapacity(trades.count)
        // Kraken sends a message's trades in id order (a live message mostly holds one): those
        // need no sorted copy of the indices (an allocation and a sort per trade message).
        if zip(trades, trades.dropFirst()).allSatisfy({ $0.tradeID < $1.tradeID }) {
            for index in trades.indices {
                if let decision = admitInOrder(trades[index], at: index) { decisions.append(decision) }
            }
        } else {
            for index in trades.indices.sorted(by: { trades[$0].tradeID < trades[$1].tradeID }) {
                if let decision = admitInOrder(trades[index], at: index) { decisions.append(decision) }
            }
        }
        return decisions
    }

    /// The next trade in id order: nil when already written, else its decision (with the gap
    /// before it, if ids were skipped). The recorder calls it trade by trade for a message already
    /// in ascending id order (what Kraken sends): the decisions `admit(_:)` makes, without its two
    /// arrays (an allocation each per trade message; issue 10).
    public mutating func admitInOrder(_ trade: TradeArrival, at index: Int) -> TradeDecision? {
        if let last = lastRecordedTradeID, trade.tradeID <= last { return nil }
        var gap: TradeGap?
        if let last = lastRecordedTradeID, trade.tradeID > last + 1 {
            gap = TradeGap(
                lastRecordedTradeID: last, nextTradeID: trade.tradeID,
                lastRecordedTimestamp: lastRecordedTimestamp, nextTimestamp: trade.timestamp,
                isAfterSnapshot: trade.isSnapshot)
        }
        lastRecordedTradeID = trade.tradeID
        lastRecordedTimestamp = trade.timestamp
        return TradeDecision(index: index, gapBefore: gap)
    }
}

/// One trade as the decoder saw it.
public struct TradeArrival: Sendable, Equatable {
    /// Kraken's per-pair sequence number.
    public var tradeID: UInt64
    /// Kraken's trade time.
    public var timestamp: UTCTimestamp
    /// Part of the 50-trade snapshot sent on subscribe.
    public var isSnapshot: Bool

    /// A trade with its id, time and message type.
    public init(tradeID: UInt64, timestamp: UTCTimestamp, isSnapshot: Bool) {
        self.tradeID = tradeID
        self.timestamp = timestamp
        self.isSnapshot = isSnapshot
    }
}

/// Write the trade at `index`; if `gapBefore` is set, first record a `trade_gap` event.
public struct TradeDecision: Sendable, Equatable {
    /// Index of the trade in the admitted array.
    public var index: Int
    /// Trades lost between the last recorded one and this one.
    public var gapBefore: TradeGap?
}

/// A jump in `trade_id`: the trades in between were never received.
public struct TradeGap: Sendable, Equatable {
    /// The last trade written before the gap.
    public var lastRecordedTradeID: UInt64
    /// The first trade after the gap.
    public var nextTradeID: UInt64
    /// Time of the last trade written before the gap, when known.
    public var lastRecordedTimestamp: UTCTimestamp?
    /// Time of the first trade after the gap.
    public var nextTimestamp: UTCTimestamp
    /// The gap showed up in a (re)subscribe snapshot: the outage outlasted its 50 trades.
    public var isAfterSnapshot: Bool

    /// How many trade ids are missing.
    public var missingCount: UInt64 { nextTradeID - lastRecordedTradeID - 1 }

    /// The `trade_gap` event: its name and its detail text.
    public var event: FeedAction {
        let since = lastRecordedTimestamp.map { " between \($0) and \(nextTimestamp)" } ?? " before \(nextTimestamp)"
        let context = isAfterSnapshot ? " (snapshot did not reach back)" : ""
        return .recordEvent(
            name: .tradeGap,
            detail: "trade_id \(lastRecordedTradeID) -> \(nextTradeID): \(missingCount) missing\(since)\(context)")
    }
}
