/// Turns Kraken's `ohlc` messages for one pair at one interval into file rows: Kraken re-sends the
/// open interval's candle on every change, so only the last version of an interval is a row, and
/// only once the interval has ended — when a candle of a later interval arrives, or when the
/// interval's end plus `grace` has passed by the recorder's clock (a quiet interval gets no later
/// candle until the next trade). A candle not yet ended is never written.
///
/// A gap (the connection ended) breaks the guarantee that the held candle is the last version:
/// updates may have been missed. It is held *unconfirmed* and never written by the clock; the
/// snapshot Kraken sends on resubscribe (the previous and the open candle) replaces it with
/// Kraken's own latest version, which confirms it. If that snapshot no longer holds its interval,
/// the candle is dropped (`dropped`, an `ohlc_gap` ledger row) rather than written partial.
///
/// Never a duplicate row: a candle at or before the newest interval written (this run, or the
/// day's file at start) is ignored, so a resubscribe snapshot repeating a written candle adds nothing.
public struct OHLCCandleKeeper: Sendable {
    /// What a message or the clock decided.
    public enum Outcome: Sendable, Equatable {
        /// The final version of an ended interval: write it.
        case write(KrakenCandle)
        /// The candle open during a gap, which Kraken did not send again: no row for its interval.
        case dropped(intervalBegin: UTCTimestamp)
    }

    /// Time after an interval's end before its last version counts as final without a later candle.
    public static let grace = TimeSpan(microseconds: 5_000_000)

    public let interval: OHLCInterval
    /// The newest version received of a candle not yet written.
    public private(set) var held: KrakenCandle?
    /// False from a gap until a message of Kraken's brings the held interval again.
    public private(set) var isHeldConfirmed = true
    /// The newest interval written, or found in the files at start.
    public private(set) var lastWrittenBegin: UTCTimestamp?
    /// Versions of an interval already written that arrived late (ignored, counted for the log).
    public private(set) var lateVersions = 0

    /// A keeper that continues after `lastWrittenBegin` (the newest row of the day's file).
    public init(interval: OHLCInterval, lastWrittenBegin: UTCTimestamp? = nil) {
        self.interval = interval
        self.lastWrittenBegin = lastWrittenBegin
    }

    /// The candles of one message (snapshot or update) of this interval, in any order.
    public mutating func receive(_ candles: [KrakenCandle], now: UTCTimestamp) -> [Outcome] {
        var outcomes: [Outcome] = []
        for candle in candles.sorted(by: { $0.intervalBegin < $1.intervalBegin }) {
            if let lastWrittenBegin, candle.intervalBegin <= lastWrittenBegin {
                lateVersions += 1
                continue
            }
            guard let current = held else {
                held = candle
                isHeldConfirmed = true
                continue
            }
            if candle.intervalBegin == current.intervalBegin {
                // Kraken's candle is cumulative: any version of the interval is its latest state.
                held = candle
                isHeldConfirmed = true
            } else if candle.intervalBegin > current.intervalBegin {
                // A later interval began: the held one has ended.
                outcomes.append(finish(current))
                held = candle
                isHeldConfirmed = true
            } else {
                // An ended interval before the held one (a snapshot's previous candle): final already.
                outcomes.append(.write(candle))
                lastWrittenBegin = candle.intervalBegin
            }
        }
        return outcomes + tick(now: now)
    }

    /// Writes the held candle once its interval has ended and the grace has passed, if it is confirmed.
    public mutating func tick(now: UTCTimestamp) -> [Outcome] {
        guard let current = held, isHeldConfirmed, let due = dueAt(current), now >= due else { return [] }
        held = nil
        return [finish(current)]
    }

    /// The connection ended: updates of the held candle may be missed from now on.
    public mutating func connectionLost() {
        if held != nil { isHeldConfirmed = false }
    }

    /// When `tick` next has something to decide; nil while nothing is held or the held candle is unconfirmed.
    public var nextDeadline: UTCTimestamp? {
        guard let current = held, isHeldConfirmed else { return nil }
        return dueAt(current)
    }

    private func dueAt(_ candle: KrakenCandle) -> UTCTimestamp? {
        UTCTimestamp(microsecondsSince1970: candle.intervalBegin.microseconds + interval.microseconds)
            .advanced(by: Self.grace)
    }

    private mutating func finish(_ candle: KrakenCandle) -> Outcome {
        guard isHeldConfirmed else { return .dropped(intervalBegin: candle.intervalBegin) }
        lastWrittenBegin = candle.intervalBegin
        return .write(candle)
    }
}
