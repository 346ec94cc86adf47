import BytebitCore

/// One simulated trade, in integer units of the pair's precisions.
struct SimTrade: Equatable, Sendable {
    var tradeID: Int64
    /// The taker bought (lifted an ask) rather than sold (hit a bid).
    var isBuy: Bool
    var price: Int64
    var qty: Int64
    /// The taker sent a market order rather than a marketable limit order.
    var isMarketOrder: Bool
    var timestamp: UTCTimestamp
}
