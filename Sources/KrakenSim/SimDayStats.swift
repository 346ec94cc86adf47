import BytebitCore

/// The rolling 24-hour figures of Kraken's ticker (volume, vwap, low, high, change) over the
/// simulator's own trades, kept in one-minute buckets so a busy pair costs at most 1,440 of them.
/// The window is the trades of the last 24 h of sim time that the simulator made (its 50 trades of
/// history included), so shortly after start it covers less than a day.
struct SimDayStats: Sendable {
    private struct Bucket: Sendable {
        var minute: Int64
        var first: Int64
        var low: Int64
        var high: Int64
        var volume: Int64
        var priceTimesQty: Int128
    }

    private var buckets: [Bucket] = []
    /// Index of the oldest bucket still in the window (older ones are dropped in batches).
    private var start = 0
    private var volume: Int64 = 0
    private var priceTimesQty: Int128 = 0
    private(set) var low: Int64 = .max
    private(set) var high: Int64 = .min
    /// The last trade price ever (it stays when the window empties, as Kraken's `last` does).
    private(set) var last: Int64?

    static let windowMinutes: Int64 = 1_440

    mutating func add(price: Int64, qty: Int64, at time: UTCTimestamp) {
        let minute = time.microseconds / 60_000_000
        drop(before: minute - Self.windowMinutes + 1)
        if start < buckets.count, buckets[buckets.count - 1].minute == minute {
            buckets[buckets.count - 1].low = min(buckets[buckets.count - 1].low, price)
            buckets[buckets.count - 1].high = max(buckets[buckets.count - 1].high, price)
            buckets[buckets.count - 1].volume += qty
            buckets[buckets.count - 1].priceTimesQty += Int128(price) * Int128(qty)
        } else {
            buckets.append(
                Bucket(
                    minute: minute, first: price, low: price, high: price, volume: qty,
                    priceTimesQty: Int128(price) * Int128(qty)))
        }
        volume += qty
        priceTimesQty += Int128(price) * Int128(qty)
        low = min(low, price)
        high = max(high, price)
        last = price
    }

    /// The figures as of `time`, at the pair's precisions; nil before the first trade.
    mutating func figures(at time: UTCTimestamp, pair: SimPair) -> SimTickerFigures? {
        drop(before: time.microseconds / 60_000_000 - Self.windowMinutes + 1)
        guard let last else { return nil }
        let isEmpty = start == buckets.count
        let open = isEmpty ? last : buckets[start].first
        let change = last - open
        // change_pct = change / open × 100 at 2 decimals: units of 10^-2 percent.
        let percentUnits = open == 0
            ? 0 : Self.signedHalfEven(Int128(change) * 10_000, dividedBy: Int128(open))
        let vwapUnits = isEmpty ? last : SimCandle.roundedHalfEven(priceTimesQty, dividedBy: Int128(volume))
        return SimTickerFigures(
            last: pair.price(last), volume: pair.qty(isEmpty ? 0 : volume), vwap: pair.price(vwapUnits),
            low: pair.price(isEmpty ? last : low), high: pair.price(isEmpty ? last : high),
            change: pair.price(change), changePercent: ExactDecimal(units: percentUnits, scale: 2))
    }

    private static func signedHalfEven(_ numerator: Int128, dividedBy denominator: Int128) -> Int64 {
        numerator < 0
            ? -SimCandle.roundedHalfEven(-numerator, dividedBy: denominator)
            : SimCandle.roundedHalfEven(numerator, dividedBy: denominator)
    }

    /// Drops buckets older than `minute`, then recomputes low and high from the rest.
    private mutating func drop(before minute: Int64) {
        guard start < buckets.count, buckets[start].minute < minute else { return }
        while start < buckets.count, buckets[start].minute < minute {
            volume -= buckets[start].volume
            priceTimesQty -= buckets[start].priceTimesQty
            start += 1
        }
        if start > 256 || start == buckets.count {
            buckets.removeFirst(start)
            start = 0
        }
        low = buckets[start...].map(\.low).min() ?? .max
        high = buckets[start...].map(\.high).max() ?? .min
    }
}

/// The 24-hour part of one ticker message.
struct SimTickerFigures: Sendable, Equatable {
    var last: ExactDecimal
    var volume: ExactDecimal
    var vwap: ExactDecimal
    var low: ExactDecimal
    var high: ExactDecimal
    var change: ExactDecimal
    var changePercent: ExactDecimal
}
