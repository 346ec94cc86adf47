import BytebitCore

/// One tradeable pair of the simulated exchange, with Kraken's precisions and a starting market.
public struct SimPair: Sendable, Hashable {
    /// The v2 symbol, `BASE/QUOTE`.
    public var symbol: String
    /// Base asset code.
    public var base: String
    /// Quote asset code.
    public var quote: String
    /// Fraction digits of every price (Kraken's `price_precision`).
    public var pricePrecision: Int8
    /// Fraction digits of every quantity (Kraken's `qty_precision`).
    public var qtyPrecision: Int8
    /// The price the random walk starts at and drifts back towards, in price units (10^-pricePrecision).
    public var anchorPriceUnits: Int64
    /// The widest gap between neighbouring levels, in price units.
    public var maxLevelGapUnits: Int64
    /// Extra powers of ten on quantities (cheap coins trade in larger sizes).
    public var qtyMagnitude: Int
    /// The first trade id of the pair's history.
    public var firstTradeID: Int64
    /// Market steps per second relative to the pace's rate: 1 for the catalog (the rate is per pair);
    /// a pairs file gives shares that sum to 1 (the rate is the total).
    public var relativeRate: Double

    /// Describes a pair; prices and gaps are in units of the pair's price precision.
    public init(
        symbol: String, base: String, quote: String, pricePrecision: Int8, qtyPrecision: Int8,
        anchorPriceUnits: Int64, maxLevelGapUnits: Int64, qtyMagnitude: Int, firstTradeID: Int64,
        relativeRate: Double = 1
    ) {
        self.symbol = symbol
        self.base = base
        self.quote = quote
        self.pricePrecision = pricePrecision
        self.qtyPrecision = qtyPrecision
        self.anchorPriceUnits = anchorPriceUnits
        self.maxLevelGapUnits = maxLevelGapUnits
        self.qtyMagnitude = qtyMagnitude
        self.firstTradeID = firstTradeID
        self.relativeRate = relativeRate
    }

    /// The pairs the simulator lists by default; precisions match Kraken's instrument data.
    public static let catalog: [SimPair] = [
        SimPair(
            symbol: "BTC/USD", base: "BTC", quote: "USD", pricePrecision: 1, qtyPrecision: 8,
            anchorPriceUnits: 673_211, maxLevelGapUnits: 5, qtyMagnitude: 0, firstTradeID: 70_635_251),
        SimPair(
            symbol: "ETH/USD", base: "ETH", quote: "USD", pricePrecision: 2, qtyPrecision: 8,
            anchorPriceUnits: 345_678, maxLevelGapUnits: 4, qtyMagnitude: 1, firstTradeID: 41_200_000),
        SimPair(
            symbol: "ETH/BTC", base: "ETH", quote: "BTC", pricePrecision: 6, qtyPrecision: 8,
            anchorPriceUnits: 31_348, maxLevelGapUnits: 3, qtyMagnitude: 1, firstTradeID: 9_870_000),
        SimPair(
            symbol: "BTC/JPY", base: "BTC", quote: "JPY", pricePrecision: 0, qtyPrecision: 8,
            anchorPriceUnits: 10_234_567, maxLevelGapUnits: 40, qtyMagnitude: 0, firstTradeID: 1_500_000),
        SimPair(
            symbol: "ARB/USD", base: "ARB", quote: "USD", pricePrecision: 4, qtyPrecision: 5,
            anchorPriceUnits: 7_654, maxLevelGapUnits: 2, qtyMagnitude: 3, firstTradeID: 2_400_000),
    ]

    /// A price in units of this pair, printed at the pair's precision (`0.031340`, `10234567`).
    func price(_ units: Int64) -> ExactDecimal { ExactDecimal(units: units, scale: pricePrecision) }
    /// A quantity in units of this pair, printed at the pair's precision (`0.10000000`).
    func qty(_ units: Int64) -> ExactDecimal { ExactDecimal(units: units, scale: qtyPrecision) }

    /// Simulator levels as exact `PriceLevel`s at this pair's precisions.
    func priceLevels(_ levels: some Sequence<SimLevel>) -> [PriceLevel] {
        levels.map { PriceLevel(price: price($0.price), qty: qty($0.qty)) }
    }
}
