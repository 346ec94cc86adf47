/// The candle of one interval while it collects trades: open/high/low/close as printed, and exact
/// 128-bit sums of qty and price·qty at the largest scales seen (a trade with more decimals rescales
/// the sums, so mixed precisions stay exact).
struct KlineCandle: Sendable {
    let begin: Int64
    var open: ExactDecimal
    var high: ExactDecimal
    var low: ExactDecimal
    var close: ExactDecimal
    var trades = 0
    /// When its latest trade arrived (microseconds): the settle time runs from here too.
    var lastReceivedAt: Int64 = .min
    var isComplete = true
    /// The sums no longer fit 128 bits: volume and vwap are left empty rather than wrong.
    var hasOverflowed = false
    var priceScale: Int8
    var qtyScale: Int8
    /// Σqty in units of 10^-qtyScale.
    var sumQty: Int128 = 0
    /// Σprice·qty in units of 10^-(priceScale + qtyScale).
    var sumNotional: Int128 = 0

    init(begin: Int64, price: ExactDecimal, qty: ExactDecimal) {
        self.begin = begin
        open = price
        high = price
        low = price
        close = price
        priceScale = price.scale
        qtyScale = qty.scale
        add(price: price, qty: qty)
    }

    mutating func add(price: ExactDecimal, qty: ExactDecimal) {
        trades += 1
        close = price
        if price > high { high = price }
        if price < low { low = price }
        guard !hasOverflowed else { return }
        if price.scale > priceScale {
            sumNotional = scaled(sumNotional, by: Int(price.scale - priceScale))
            priceScale = price.scale
        }
        if qty.scale > qtyScale {
            let steps = Int(qty.scale - qtyScale)
            sumQty = scaled(sumQty, by: steps)
            sumNotional = scaled(sumNotional, by: steps)
            qtyScale = qty.scale
        }
        let priceUnits = scaled(Int128(price.units), by: Int(priceScale - price.scale))
        let qtyUnits = scaled(Int128(qty.units), by: Int(qtyScale - qty.scale))
        let (notional, overflow1) = priceUnits.multipliedReportingOverflow(by: qtyUnits)
        let (newNotional, overflow2) = sumNotional.addingReportingOverflow(notional)
        let (newQty, overflow3) = sumQty.addingReportingOverflow(qtyUnits)
        if overflow1 || overflow2 || overflow3 { hasOverflowed = true }
        sumNotional = newNotional
        sumQty = newQty
    }

    /// The finished row; `pricePrecision` is the pair's (nil: the largest price scale seen).
    func record(interval: KlineInterval, pricePrecision: Int?) -> KlineRecord {
        let vwapScale = (pricePrecision ?? Int(priceScale)) + 4
        var vwap: WideDecimal?
        if !hasOverflowed, sumQty > 0, sumNotional >= 0, vwapScale <= Int(Int8.max),
           let units = WideDecimal.quotient(sumNotional, sumQty, extraDigits: vwapScale - Int(priceScale))
        {
            vwap = WideDecimal(units: units, scale: Int8(vwapScale))
        }
        return KlineRecord(
            interval: interval, intervalBegin: UTCTimestamp(microsecondsSince1970: begin), open: open, high: high,
            low: low, close: close, volume: hasOverflowed ? nil : WideDecimal(units: sumQty, scale: qtyScale),
            vwap: vwap, trades: trades, complete: isComplete)
    }

    private mutating func scaled(_ value: Int128, by steps: Int) -> Int128 {
        guard steps > 0 else { return value }
        guard let factor = WideDecimal.powerOfTen(steps) else {
            hasOverflowed = true
            return 0
        }
        let (result, overflow) = value.multipliedReportingOverflow(by: factor)
        if overflow { hasOverflowed = true }
        return result
    }
}
