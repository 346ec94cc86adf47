@testable import BytebitCore

extension SeededRandomNumberGenerator {
    /// 0 to 3 random levels for one side of a book update around 5000 (scale 1 or, one in nine, 2;
    /// a quarter of them deletions): mostly within 14 ticks of 5000, one in three within `spread`.
    mutating func randomBookLevels(spread: UInt64) -> [PriceLevel] {
        func level() -> PriceLevel {
            let distance = Int64(next() % (next() % 3 == 0 ? spread : 14))
            let isZero = next() % 4 == 0
            return PriceLevel(
                price: ExactDecimal(units: 5000 + distance, scale: next() % 9 == 0 ? 2 : 1),
                qty: ExactDecimal(units: isZero ? 0 : Int64(next() % 900_000_000), scale: 8))
        }
        return (0..<Int(next() % 4)).map { _ in level() }
    }
}

extension OrderBook {
    /// Step `step` of the random change sequence the level-text tests replay (snapshots every 500
    /// steps, a precision change, an emptied book and a one-sided one, random updates between;
    /// every other step or so the checksum is asked, which renders the levels' digits).
    mutating func applyRandomChange(step: Int, using generator: inout SeededRandomNumberGenerator) {
        let bids = generator.randomBookLevels(spread: 80)
        let asks = generator.randomBookLevels(spread: 80)
        switch step % 500 {
        case 0: replace(bids: bids, asks: asks)
        case 250: updatePrecision(price: pricePrecision == 1 ? 3 : 1, qty: 8)
        case 400: removeAll()
        case 401: replace(bids: bids, asks: [])
        default: apply(bids: bids, asks: asks)
        }
        if generator.next() % 2 == 0 { _ = checksum }
    }
}
