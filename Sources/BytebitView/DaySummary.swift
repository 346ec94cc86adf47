import BytebitCore

/// What `view --summary` reports for one pair, day and window.
public struct DaySummary: Sendable {
    /// The pair summarised.
    public var pair: String
    /// The UTC day summarised.
    public var date: CalendarDate
    /// The part of the day summarised.
    public var window: TimeWindow
    /// Order book rows in the window, and their first/last timestamps.
    public var bookRows = 0
    /// Timestamp of the first order book row in the window.
    public var bookFirst: UTCTimestamp?
    /// Timestamp of the last order book row in the window.
    public var bookLast: UTCTimestamp?
    /// Why there is no order book part (no file), if so.
    public var bookMissing: String?
    /// Spread quantiles over the order book rows.
    public var spreads = SpreadStatistics()
    /// Median spread in bps of the mean mid (display only).
    public var medianSpreadBasisPoints: Double? {
        guard let median = spreads.median, midCount > 0 else { return nil }
        return ViewMath.approximate(median) / (midSum / Double(midCount)) * 10_000
    }
    private var midSum = 0.0
    private var midCount = 0
    /// Count, volume, VWAP and OHLC of the trades.
    public var trades = TradeStatistics()
    /// Why there is no trade part (no file), if so.
    public var tradesMissing: String?
    /// Gaps from the events ledger that overlap the window.
    public var gaps: [Gap] = []
    /// Why there are no gaps listed (no events file), if so.
    public var eventsMissing: String?
    /// Ticker rows in the window (SPEC §10); nil without a ticker file that day.
    public var tickerRows: Int?
    /// Rows of Kraken's candles in the window per interval that has a file that day, shortest first.
    public var ohlcRows: [(interval: OHLCInterval, rows: Int)] = []
    /// Mid price and trade volume over time.
    public var chart: SparkChart

    init(pair: String, date: CalendarDate, window: TimeWindow) {
        self.pair = pair
        self.date = date
        self.window = window
        chart = SparkChart()
    }

    /// First and last timestamp over both files.
    public var first: UTCTimestamp? { [bookFirst, trades.first].compactMap { $0 }.min() }
    public var last: UTCTimestamp? { [bookLast, trades.last].compactMap { $0 }.max() }

    mutating func record(_ row: BookRow) {
        bookRows += 1
        bookFirst = min(bookFirst ?? row.timestamp, row.timestamp)
        bookLast = max(bookLast ?? row.timestamp, row.timestamp)
        if let spread = row.spread { spreads.record(spread) }
        if let mid = row.mid {
            chart.recordMid(mid, at: row.timestamp)
            midSum += ViewMath.approximate(mid)
            midCount += 1
        }
    }

    mutating func record(_ trade: TradeRow) {
        trades.record(trade)
        chart.recordTrade(qty: trade.qty, at: trade.timestamp)
    }
}
