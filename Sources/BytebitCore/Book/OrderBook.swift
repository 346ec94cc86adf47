/// An L2 order book for one pair at a subscribed depth, kept the way Kraken's checksum expects:
/// updates set (never add) quantities in message order, quantity 0 deletes, and each side is cut
/// back to `depth` after every message because Kraken never deletes levels that fall out of the
/// window. Numbers are stored as printed, padded to the pair's precision when Kraken (or a lossy
/// source) printed fewer fraction digits; longer text is kept as sent.
public struct OrderBook: Sendable {
    /// Levels kept per side (the subscription depth).
    public private(set) var depth: Int
    /// Fraction digits of prices for this pair (from the instrument channel).
    public private(set) var pricePrecision: Int8
    /// Fraction digits of quantities for this pair (from the instrument channel).
    public private(set) var qtyPrecision: Int8

    private var bidSide: BookSide
    private var askSide: BookSide

    /// An empty book; a `depth` below 1 is treated as 1.
    public init(depth: Int, pricePrecision: Int8, qtyPrecision: Int8) {
        self.depth = max(depth, 1)
        self.pricePrecision = pricePrecision
        self.qtyPrecision = qtyPrecision
        bidSide = BookSide(isDescending: true, expectedCount: self.depth)
        askSide = BookSide(isDescending: false, expectedCount: self.depth)
    }

    /// Bids, best (highest) first. `bids.prefix(n)` is the top n without copying.
    public var bids: ArraySlice<PriceLevel> { bidSide.levels }

    /// Asks, best (lowest) first. `asks.prefix(n)` is the top n without copying.
    public var asks: ArraySlice<PriceLevel> { askSide.levels }

    /// True when neither side has a level.
    public var isEmpty: Bool { bidSide.count == 0 && askSide.count == 0 }

    /// Discards the book and loads a snapshot (never merge: stale levels below the top 10 would
    /// survive unseen by the checksum). Levels may come in any order; quantity 0 is skipped.
    public mutating func replace(bids: some Sequence<PriceLevel>, asks: some Sequence<PriceLevel>) {
        removeAll()
        apply(bids: bids, asks: asks)
    }

    /// Applies level changes in order (quantity 0 deletes, a delete of an unknown price is
    /// ignored, anything else sets the level), then truncates each side to `depth`.
    public mutating func apply(bids: some Sequence<PriceLevel>, asks: some Sequence<PriceLevel>) {
        let (price, qty) = (pricePrecision, qtyPrecision)
        for level in bids { Self.change(&bidSide, with: Self.padded(level, price: price, qty: qty)) }
        for level in asks { Self.change(&askSide, with: Self.padded(level, price: price, qty: qty)) }
        bidSide.truncate(to: depth)
        askSide.truncate(to: depth)
    }

    /// Kraken's CRC32 over the top 10 levels of each side (as `BookChecksum.compute`). Mutating
    /// because each side caches the digits of its top levels and re-renders only what changed.
    public var checksum: UInt32 {
        mutating get {
            let asksCRC = askSide.continueChecksum(0, pricePrecision: pricePrecision, qtyPrecision: qtyPrecision)
            return bidSide.continueChecksum(asksCRC, pricePrecision: pricePrecision, qtyPrecision: qtyPrecision)
        }
    }

    /// The row text of the best `levels` bids and asks (`BookTopText`, beside `bids.prefix(levels)`
    /// and `asks.prefix(levels)`): only levels changed since they were last rendered are formatted.
    /// Nil when a level's text does not fit a `LevelText` (a number beyond 19 fraction digits).
    /// Mutating because rendering stores the text in the book.
    public mutating func topText(levels: Int) -> BookTopText? {
        let (price, qty) = (pricePrecision, qtyPrecision)
        guard let bids = bidSide.text(count: levels, pricePrecision: price, qtyPrecision: qty),
              let asks = askSide.text(count: levels, pricePrecision: price, qtyPrecision: qty)
        else { return nil }
        return BookTopText(
            bids: bids, asks: asks, bidFragmentPlane: bidSide.fragmentPlane, askFragmentPlane: askSide.fragmentPlane)
    }

    /// Calls `body` with the best `levels` bids and asks and, when every one's text fits, their
    /// rendered texts (as `topText`), all in place: the files-only row reads them without the
    /// slices and `BookTopText` a top is made of (~300 instructions per book row; issue 10).
    @inline(__always)
    mutating func withTopText<Result>(
        levels: Int,
        _ body: (
            _ bids: UnsafeBufferPointer<PriceLevel>, _ asks: UnsafeBufferPointer<PriceLevel>,
            _ bidTexts: UnsafePointer<LevelText>?, _ askTexts: UnsafePointer<LevelText>?
        ) -> Result
    ) -> Result {
        let (price, qty) = (pricePrecision, qtyPrecision)
        let bidsFit = bidSide.renderTop(count: levels, pricePrecision: price, qtyPrecision: qty)
        let asksFit = askSide.renderTop(count: levels, pricePrecision: price, qtyPrecision: qty)
        return BookSide.withTops(bids: bidSide, asks: askSide, count: levels, withTexts: bidsFit && asksFit, body)
    }

    /// Whether `topText` also carries each level's JSON fragment (`LevelJSONFragment`), rendered
    /// when the level's text is: on for a market with outputs beside its files.
    public var rendersLevelJSON: Bool {
        get { bidSide.rendersJSON }
        set {
            bidSide.setRendersJSON(newValue)
            askSide.setRendersJSON(newValue)
        }
    }

    /// Adopts new precisions (the instrument channel changed them) and pads the stored levels to
    /// them; digits beyond a smaller precision are kept, as for any longer wire text. Kraken will
    /// print the new precision from now on, so a fresh snapshot is the safe follow-up.
    public mutating func updatePrecision(price: Int8, qty: Int8) {
        pricePrecision = price
        qtyPrecision = qty
        let pad = { (level: PriceLevel) in Self.padded(level, price: price, qty: qty) }
        bidSide.transformLevels(pad)
        askSide.transformLevels(pad)
    }

    /// Empties both sides (e.g. on disconnect or before a resubscribe).
    public mutating func removeAll() {
        bidSide.removeAll()
        askSide.removeAll()
    }

    private static func change(_ side: inout BookSide, with level: PriceLevel) {
        if level.qty.isZero {
            side.remove(price: level.price)
        } else {
            side.set(level)
        }
    }

    @inline(__always)
    private static func padded(_ level: PriceLevel, price: Int8, qty: Int8) -> PriceLevel {
        guard level.price.scale < price || level.qty.scale < qty else { return level }
        return PriceLevel(
            price: level.price.padded(toScale: price) ?? level.price,
            qty: level.qty.padded(toScale: qty) ?? level.qty)
    }
}
