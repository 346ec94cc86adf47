import BytebitCore

/// One candle of the simulator's own trades, in integer units of the pair's precisions, built by
/// SPEC §10's definition so bytebit's klines can be compared with it: `open` the first trade of the
/// interval, `close` the last, `high`/`low` from the trades, `volume` Σqty, `vwap`
/// Σprice·qty/Σqty rounded half-even to the price precision + 4 digits, `trades` the count.
public struct SimCandle: Sendable, Equatable {
    /// Start of the interval (a multiple of the interval since 1970-01-01T00:00:00Z).
    public var begin: UTCTimestamp
    /// Kraken's interval in minutes.
    public var intervalMinutes: Int
    var open: Int64
    var high: Int64
    var low: Int64
    var close: Int64
    /// Σqty in qty units.
    var volume: Int64
    /// Σprice·qty in price units × qty units (Int128: a busy day overflows Int64).
    var priceTimesQty: Int128
    var trades: Int

    /// Extra fraction digits of `vwap` beyond the price precision (SPEC §10).
    public static let vwapExtraDigits: Int8 = 4

    /// A candle holding one trade.
    init(begin: UTCTimestamp, intervalMinutes: Int, price: Int64, qty: Int64) {
        self.begin = begin
        self.intervalMinutes = intervalMinutes
        open = price
        high = price
        low = price
        close = price
        volume = qty
        priceTimesQty = Int128(price) * Int128(qty)
        trades = 1
    }

    /// Adds a later trade of the same interval.
    mutating func add(price: Int64, qty: Int64) {
        high = max(high, price)
        low = min(low, price)
        close = price
        volume += qty
        priceTimesQty += Int128(price) * Int128(qty)
        trades += 1
    }

    /// The end of the interval (exclusive).
    public var end: UTCTimestamp {
        UTCTimestamp(microsecondsSince1970: begin.microseconds + Int64(intervalMinutes) * 60_000_000)
    }

    /// VWAP in units of 10^-(pricePrecision + 4), rounded half to even.
    var vwapUnits: Int64 {
        Self.roundedHalfEven(priceTimesQty * 10_000, dividedBy: Int128(volume))
    }

    /// `numerator / denominator` rounded half to even; both non-negative, denominator > 0.
    static func roundedHalfEven(_ numerator: Int128, dividedBy denominator: Int128) -> Int64 {
        guard denominator > 0 else { return 0 }
        var quotient = numerator / denominator
        let twiceRemainder = (numerator % denominator) * 2
        if twiceRemainder > denominator || (twiceRemainder == denominator && quotient % 2 != 0) { quotient += 1 }
        return Int64(clamping: quotient)
    }

    /// The start of the interval of `minutes` that holds `time`.
    static func intervalBegin(of time: UTCTimestamp, minutes: Int) -> UTCTimestamp {
        let length = Int64(minutes) * 60_000_000
        let floor = time.microseconds >= 0
            ? time.microseconds / length * length
            : -((-time.microseconds + length - 1) / length) * length
        return UTCTimestamp(microsecondsSince1970: floor)
    }

    /// The candle at the pair's precisions, as the truth and the frames print it.
    func exact(pair: SimPair) -> SimCandleTruth {
        SimCandleTruth(
            symbol: pair.symbol, intervalMinutes: intervalMinutes, intervalBegin: begin, open: pair.price(open),
            high: pair.price(high), low: pair.price(low), close: pair.price(close), volume: pair.qty(volume),
            vwap: ExactDecimal(units: vwapUnits, scale: pair.pricePrecision + Self.vwapExtraDigits), trades: trades)
    }
}

/// The candles of one pair at every interval Kraken's `ohlc` channel offers: the one still open and
/// the one before it (a snapshot repeats both, as a resubscribing client would see them).
struct SimCandleSeries: Sendable {
    /// Kraken's ohlc intervals in minutes (docs/kraken-v2.md §6.5).
    static let intervals = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600]

    /// Per entry of `intervals`: the newest candle (open until a trade of a later interval) and the
    /// one it replaced.
    private(set) var current: [SimCandle?] = Array(repeating: nil, count: intervals.count)
    private(set) var previous: [SimCandle?] = Array(repeating: nil, count: intervals.count)
    /// Candles a later trade closed, oldest first, until the exchange takes them for its truth.
    private(set) var closed: [SimCandle] = []

    /// Adds a trade to the candle of every interval; candles it closes wait in `closed`.
    mutating func add(price: Int64, qty: Int64, at time: UTCTimestamp) {
        for (index, minutes) in Self.intervals.enumerated() {
            let begin = SimCandle.intervalBegin(of: time, minutes: minutes)
            if var candle = current[index], candle.begin == begin {
                candle.add(price: price, qty: qty)
                current[index] = candle
            } else {
                if let ended = current[index] {
                    closed.append(ended)
                    previous[index] = ended
                }
                current[index] = SimCandle(begin: begin, intervalMinutes: minutes, price: price, qty: qty)
            }
        }
    }

    /// The candles closed since the last call, oldest first.
    mutating func takeClosed() -> [SimCandle] {
        defer { closed.removeAll(keepingCapacity: true) }
        return closed
    }

    /// The newest candle of an interval (nil before its first trade, or for an interval Kraken lacks).
    func newest(minutes: Int) -> SimCandle? {
        Self.intervals.firstIndex(of: minutes).flatMap { current[$0] }
    }

    /// What a snapshot of an interval holds: the candle before the newest and the newest, oldest first.
    func snapshot(minutes: Int) -> [SimCandle] {
        guard let index = Self.intervals.firstIndex(of: minutes) else { return [] }
        return [previous[index], current[index]].compactMap { $0 }
    }
}
