/// One price level of an L2 book side: a price and the total quantity resting at it.
public struct PriceLevel: Sendable, Hashable, BitwiseCopyable {
    public var price: ExactDecimal
    public var qty: ExactDecimal

    public init(price: ExactDecimal, qty: ExactDecimal) {
        self.price = price
        self.qty = qty
    }
}
