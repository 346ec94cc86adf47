/// Building a whole UTC day of candles from the recorded files (`bytebit klines`), and the open
/// candles a restarted collector continues from. Both replay the files through `KlineHistory`.
public enum KlineRebuild {
    /// A rebuilt day.
    public struct Day: Sendable {
        /// The day's candles, in the order they finished.
        public var klines: [KlineRecord]
        public var outcome: KlineHistory.Outcome
        /// Candles still open at `now` (today), left out.
        public var openCandles: Int
        /// Late trades per interval over the replayed files (the day and its neighbours' edges).
        public var lateTrades: [KlineInterval: Int]
    }

    /// The candles of `day` for `intervals`, as the live recorder writes them: the day before is
    /// replayed too (the gap state and the trade id carried into the day), and the next day's first
    /// `settle` seconds (a trade or a gap there can still finish or mark the day's last candles). At
    /// `now` (today), candles still open are not finished and are left out, as live.
    public static func day(
        _ day: Int64, intervals: [KlineInterval], dataDirectory: String, pair: String, now: UTCTimestamp
    ) throws -> Day {
        var builder = KlineBuilder(intervals: intervals)
        let nextMidnight = (day + 1) * UTCTimestamp.microsecondsPerDay
        let horizon = UTCTimestamp(microsecondsSince1970: min(nextMidnight + KlineBuilder.settleMicroseconds, now.microseconds))
        let history = KlineHistory(dataDirectory: dataDirectory, pair: pair)
        var klines: [KlineRecord] = []
        let outcome = try history.replay(days: [day - 1, day, day + 1], into: &builder, horizon: horizon) { finished in
            klines += finished.filter { $0.intervalBegin.dayNumber == day }
        }
        builder.advance(to: horizon)
        klines += builder.takeFinished().filter { $0.intervalBegin.dayNumber == day }
        let open = builder.intervals.compactMap { builder.openCandle($0) }.filter { $0.intervalBegin.dayNumber == day }
        return Day(klines: klines, outcome: outcome, openCandles: open.count, lateTrades: builder.lateTrades)
    }

    /// A builder for a collector starting at `now`: yesterday's and today's files replayed, candles
    /// already in the klines files skipped. The candles it finished but the files lack (the previous
    /// run stopped before writing them) are waiting in `takeFinished()`.
    public static func continuing(
        intervals: [KlineInterval], dataDirectory: String, pair: String, now: UTCTimestamp
    ) throws -> KlineBuilder {
        var builder = KlineBuilder(intervals: intervals)
        for interval in builder.intervals {
            let last = try LastRecordedRow.leadingCells(
                dataDirectory: dataDirectory, pair: pair, kind: .klines(interval), today: now)
            if let last, let begin = UTCTimestamp(last.0) { builder.skipWritten(interval, through: begin.microseconds) }
        }
        let today = now.dayNumber
        try KlineHistory(dataDirectory: dataDirectory, pair: pair).replay(days: [today - 1, today], into: &builder)
        return builder
    }
}
