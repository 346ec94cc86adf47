import BytebitCore

/// Trade count, volume, exact VWAP and OHLC over a stream of trades.
public struct TradeStatistics: Sendable, Equatable {
    public private(set) var count = 0
    public private(set) var open: ExactDecimal?
    public private(set) var high: ExactDecimal?
    public private(set) var low: ExactDecimal?
    public private(set) var close: ExactDecimal?
    public private(set) var first: UTCTimestamp?
    public private(set) var last: UTCTimestamp?
    public private(set) var buyCount = 0
    private(set) var volume = ExactSum()
    private(set) var notional = ExactSum()
    private var priceScale = 0

    public init() {}

    public mutating func record(_ trade: TradeRow) {
        count += 1
        if trade.side == .buy { buyCount += 1 }
        if high.map({ trade.price > $0 }) ?? true { high = trade.price }
        if low.map({ trade.price < $0 }) ?? true { low = trade.price }
        // By time, not by reading order: a day's late rows beside its gzip are read after it.
        if first.map({ trade.timestamp < $0 }) ?? true {
            first = trade.timestamp
            open = trade.price
        }
        if last.map({ trade.timestamp >= $0 }) ?? true {
            last = trade.timestamp
            close = trade.price
        }
        volume.add(trade.qty)
        notional.addProduct(trade.price, trade.qty)
        priceScale = max(priceScale, Int(trade.price.scale))
    }

    /// Sum of quantities, exact.
    public var volumeText: String { volume.text }

    /// Sum of price × quantity, exact.
    public var notionalText: String { notional.text }

    /// Σ(price·qty) / Σqty, rounded half away from zero to two digits more than the prices carry.
    public var vwapText: String? { notional.divided(by: volume, digits: priceScale + 2) }

    /// Volume as a Double for the chart (display only).
    var approximateVolume: Double { Double(volume.units) / ViewMath.pow10Double(volume.scale) }
}
