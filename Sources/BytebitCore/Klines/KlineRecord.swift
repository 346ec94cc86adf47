/// One finished candle: a row of `klines/klines_<interval>_DATE.csv` (SPEC §10) and a `kline` message.
public struct KlineRecord: Sendable, Equatable {
    public var interval: KlineInterval
    /// The interval's first instant; the row belongs to this instant's UTC day.
    public var intervalBegin: UTCTimestamp
    /// The first trade's price (by trade id order within the interval), as Kraken printed it.
    public var open: ExactDecimal
    public var high: ExactDecimal
    public var low: ExactDecimal
    /// The last trade's price.
    public var close: ExactDecimal
    /// Σqty at the largest qty scale of the interval's trades; nil (an empty cell) when the sums
    /// overflowed 128 bits.
    public var volume: WideDecimal?
    /// Σprice·qty / Σqty rounded half to even at the pair's price precision + 4; nil when Σqty is 0 or
    /// the sums overflowed 128 bits (an empty cell).
    public var vwap: WideDecimal?
    /// How many trades the candle holds.
    public var trades: Int
    /// False when the interval overlaps a gap in the trade feed (`KlineBuilder`).
    public var complete: Bool

    public init(
        interval: KlineInterval, intervalBegin: UTCTimestamp, open: ExactDecimal, high: ExactDecimal,
        low: ExactDecimal, close: ExactDecimal, volume: WideDecimal?, vwap: WideDecimal?, trades: Int, complete: Bool
    ) {
        self.interval = interval
        self.intervalBegin = intervalBegin
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.vwap = vwap
        self.trades = trades
        self.complete = complete
    }
}
