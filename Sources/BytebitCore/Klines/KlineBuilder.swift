/// Builds candles from a pair's trades (SPEC §10), the same code live in the collector and offline in
/// `bytebit klines`, so both write the same bytes. Inputs carry the wall-clock instant they happened
/// at (a trade's `received_at`, a ledger row's `timestamp`); before each input the builder first
/// finishes what that instant makes due, so feeding the recorded files in time order reproduces
/// every decision the live recorder made.
///
/// Rules:
/// - A trade belongs to the interval of its Kraken timestamp. Per interval there is at most one open
///   candle: a trade of a later interval finishes it; so does an instant 5 s (`settleMicroseconds`)
///   past both its end and the arrival of its latest trade (old trades arriving together, as in
///   Kraken's 50-trade snapshot, fill their candles before time finishes them). A finished candle
///   is final.
/// - A late trade (its interval is older than the open candle's, or already finished) cannot change
///   a written candle: it is left out of every candle and counted (`lateTrades`), per interval.
/// - Gaps: a gap in the trade feed (a `disconnected`, `stale`, `stopped` or `started` row, or a jump
///   in `trade_id`) spans from the last trade before it to the first trade after it, by trade time.
///   Every open candle ending after the first and the candle of the second are `complete = false`.
///   With no trade before (the first run), every open candle and the next one are incomplete.
/// - vwap is rounded at the pair's price precision + 4 (`setPricePrecision`; before any, the largest
///   scale of the candle's prices).
public struct KlineBuilder: Sendable {
    /// A trade as the builder needs it.
    public struct Trade: Sendable, Equatable {
        public var timestamp: UTCTimestamp
        public var receivedAt: UTCTimestamp
        public var tradeID: UInt64
        public var price: ExactDecimal
        public var qty: ExactDecimal

        public init(timestamp: UTCTimestamp, receivedAt: UTCTimestamp, tradeID: UInt64, price: ExactDecimal, qty: ExactDecimal) {
            self.timestamp = timestamp
            self.receivedAt = receivedAt
            self.tradeID = tradeID
            self.price = price
            self.qty = qty
        }
    }

    /// How long after its end a candle waits for stragglers when no later trade finishes it.
    public static let settleMicroseconds: Int64 = 5_000_000

    public let intervals: [KlineInterval]
    /// The pair's price precision in force (nil: not known yet).
    public private(set) var pricePrecision: Int?
    /// Trades left out of a candle because it was already finished, per interval.
    public private(set) var lateTrades: [KlineInterval: Int] = [:]

    private var open: [KlineCandle?]
    /// Per interval: trades whose interval begins before this are late.
    private var floor: [Int64]
    /// Per interval: finished candles up to this begin are already in the files (a restart).
    private var writtenThrough: [Int64]
    private var finished: [KlineRecord] = []
    private var lastTradeID: UInt64?
    private var lastTradeTime: Int64?
    private var isGapOpen = false

    /// `intervals` in any order (duplicates ignored); a builder with none does nothing.
    public init(intervals: [KlineInterval], pricePrecision: Int? = nil) {
        self.intervals = Array(Set(intervals)).sorted()
        self.pricePrecision = pricePrecision
        open = Array(repeating: nil, count: self.intervals.count)
        floor = Array(repeating: Int64.min, count: self.intervals.count)
        writtenThrough = Array(repeating: Int64.min, count: self.intervals.count)
    }

    public var isEmpty: Bool { intervals.isEmpty }

    /// Late trades over all intervals.
    public var lateTradeCount: Int { lateTrades.values.reduce(0, +) }

    /// Candles beginning at or before `begin` are already written: finishing them again emits nothing.
    public mutating func skipWritten(_ interval: KlineInterval, through begin: Int64) {
        guard let slot = intervals.firstIndex(of: interval) else { return }
        writtenThrough[slot] = max(writtenThrough[slot], begin)
    }

    /// One admitted trade (trade-id order, no duplicates).
    public mutating func add(_ trade: Trade) {
        advance(to: trade.receivedAt)
        let time = trade.timestamp.microseconds
        // The first trade after a gap ends it: the gap ran from the previous trade's time to this one's.
        let isAfterGap = isGapOpen || lastTradeID.map { trade.tradeID > $0 &+ 1 } == true
        if isAfterGap { markOpenCandlesIncomplete(endingAfter: lastTradeTime) }
        isGapOpen = false
        lastTradeID = trade.tradeID
        lastTradeTime = time
        for slot in intervals.indices {
            let interval = intervals[slot]
            let begin = interval.begin(of: time)
            if begin < floor[slot] {
                lateTrades[interval, default: 0] += 1
                continue
            }
            if var candle = open[slot], candle.begin == begin {
                candle.add(price: trade.price, qty: trade.qty)
                candle.lastReceivedAt = max(candle.lastReceivedAt, trade.receivedAt.microseconds)
                if isAfterGap { candle.isComplete = false }
                open[slot] = candle
                continue
            }
            finish(slot: slot)
            var candle = KlineCandle(begin: begin, price: trade.price, qty: trade.qty)
            candle.lastReceivedAt = trade.receivedAt.microseconds
            if isAfterGap { candle.isComplete = false }
            open[slot] = candle
            floor[slot] = begin
        }
    }

    /// A gap in the trade feed at `instant`: a `disconnected`, `stale` or `stopped` ledger row. Candles
    /// that were due before it are finished first: the feed was whole while they were open.
    public mutating func noteGap(at instant: UTCTimestamp) {
        advance(to: instant)
        isGapOpen = true
        markOpenCandlesIncomplete(endingAfter: lastTradeTime)
    }

    /// A `started` row: the previous run ended after its last recorded trade, perhaps without a
    /// `stopped` row (a crash). Its open candles may miss trades, so they are marked before the time
    /// between the runs finishes them.
    public mutating func noteRestart(at instant: UTCTimestamp) {
        isGapOpen = true
        markOpenCandlesIncomplete(endingAfter: lastTradeTime)
        advance(to: instant)
    }

    /// The pair's price precision from `instant` on (Kraken's `instrument`, `pair.csv`).
    public mutating func setPricePrecision(_ precision: Int, at instant: UTCTimestamp) {
        advance(to: instant)
        pricePrecision = precision
    }

    /// Finishes every open candle whose interval ended at least `settleMicroseconds` before `now`.
    public mutating func advance(to now: UTCTimestamp) {
        for slot in intervals.indices {
            guard let candle = open[slot] else { continue }
            if now.microseconds >= dueInstant(of: candle, slot: slot) { finish(slot: slot) }
        }
    }

    /// Finishes every open candle regardless of time (the end of an offline day's trades).
    public mutating func finishAll() {
        for slot in intervals.indices { finish(slot: slot) }
    }

    /// The candles finished since the last call, in the order they were finished.
    public mutating func takeFinished() -> [KlineRecord] {
        guard !finished.isEmpty else { return [] }
        defer { finished.removeAll(keepingCapacity: true) }
        return finished
    }

    /// Whether a call to `takeFinished` would return something.
    public var hasFinished: Bool { !finished.isEmpty }

    /// The open candle of `interval`, as it would be written now (for tests and a live view).
    public func openCandle(_ interval: KlineInterval) -> KlineRecord? {
        guard let slot = intervals.firstIndex(of: interval) else { return nil }
        return open[slot]?.record(interval: interval, pricePrecision: pricePrecision)
    }

    /// The earliest instant at which `advance(to:)` finishes a candle (nil: nothing open).
    public var nextDueInstant: UTCTimestamp? {
        let due = intervals.indices.compactMap { slot in open[slot].map { dueInstant(of: $0, slot: slot) } }.min()
        return due.map { UTCTimestamp(microsecondsSince1970: $0) }
    }

    /// 5 s after both the candle's end and its latest trade's arrival.
    private func dueInstant(of candle: KlineCandle, slot: Int) -> Int64 {
        max(candle.begin + intervals[slot].microseconds, candle.lastReceivedAt) + Self.settleMicroseconds
    }

    private mutating func finish(slot: Int) {
        guard let candle = open[slot] else { return }
        open[slot] = nil
        let interval = intervals[slot]
        floor[slot] = candle.begin + interval.microseconds
        guard candle.begin > writtenThrough[slot] else { return }
        finished.append(candle.record(interval: interval, pricePrecision: pricePrecision))
    }

    /// `start` nil: no trade known before the gap, so every open candle may miss trades.
    private mutating func markOpenCandlesIncomplete(endingAfter start: Int64?) {
        for slot in intervals.indices {
            guard var candle = open[slot] else { continue }
            if let start, candle.begin + intervals[slot].microseconds <= start { continue }
            candle.isComplete = false
            open[slot] = candle
        }
    }
}
