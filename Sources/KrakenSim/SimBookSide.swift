/// One price level of the simulated market in integer units of the pair's precisions.
struct SimLevel: Equatable, Sendable {
    var price: Int64
    var qty: Int64
}

/// One side of the simulated market, best level first (bids descending, asks ascending).
struct SimBookSide: Sendable {
    let isBid: Bool
    private(set) var levels: [SimLevel] = []

    init(isBid: Bool) {
        self.isBid = isBid
    }

    var count: Int { levels.count }
    var best: SimLevel? { levels.first }
    var worst: SimLevel? { levels.last }

    /// Whether `price` is a better price than `other` on this side.
    func ranks(_ price: Int64, before other: Int64) -> Bool {
        isBid ? price > other : price < other
    }

    /// Where `price` is or would be inserted.
    func position(of price: Int64) -> (index: Int, isPresent: Bool) {
        var low = 0
        var high = levels.count
        while low < high {
            let middle = (low + high) / 2
            if levels[middle].price == price { return (middle, true) }
            if ranks(levels[middle].price, before: price) { low = middle + 1 } else { high = middle }
        }
        return (low, false)
    }

    /// Inserts or replaces the level at `price`; returns its index.
    @discardableResult
    mutating func set(price: Int64, qty: Int64) -> Int {
        let (index, isPresent) = position(of: price)
        if isPresent {
            levels[index].qty = qty
        } else {
            levels.insert(SimLevel(price: price, qty: qty), at: index)
        }
        return index
    }

    mutating func setQty(_ qty: Int64, at index: Int) {
        levels[index].qty = qty
    }

    mutating func remove(at index: Int) {
        levels.remove(at: index)
    }

    /// Appends a level behind the worst one (the caller guarantees the order).
    mutating func appendWorse(_ level: SimLevel) {
        levels.append(level)
    }

    /// The best `depth` levels.
    func top(_ depth: Int) -> ArraySlice<SimLevel> {
        levels.prefix(depth)
    }
}
