import BytebitCore

/// Which trades to show: `--side`, `--min-qty`, `--min-price`, `--max-price` (all inclusive, exact).
public struct TradeFilter: Sendable, Equatable {
    public var side: TradeSide?
    public var minimumQty: ExactDecimal?
    public var minimumPrice: ExactDecimal?
    public var maximumPrice: ExactDecimal?

    public init(
        side: TradeSide? = nil, minimumQty: ExactDecimal? = nil,
        minimumPrice: ExactDecimal? = nil, maximumPrice: ExactDecimal? = nil
    ) {
        self.side = side
        self.minimumQty = minimumQty
        self.minimumPrice = minimumPrice
        self.maximumPrice = maximumPrice
    }

    /// Whether no filter is set.
    public var isEmpty: Bool { self == TradeFilter() }

    /// Whether `trade` passes every filter.
    public func admits(_ trade: TradeRow) -> Bool {
        if let side, trade.side != side { return false }
        if let minimumQty, trade.qty < minimumQty { return false }
        if let minimumPrice, trade.price < minimumPrice { return false }
        if let maximumPrice, trade.price > maximumPrice { return false }
        return true
    }
}
