import BytebitCore

/// One pair's simulated market: a full L2 book (deeper than the deepest subscription) moved by a
/// seeded random walk of quantity changes, inserts, deletes and trades that drifts back towards the
/// pair's anchor price.
struct SimMarket: Sendable {
    let pair: SimPair
    private(set) var bids = SimBookSide(isBid: true)
    private(set) var asks = SimBookSide(isBid: false)
    /// The last 50 trades, oldest first: the trade snapshot.
    private(set) var recentTrades: [SimTrade] = []
    private(set) var nextTradeID: Int64
    private var random: SeededGenerator

    /// Levels kept per side: more than the deepest subscription (1000) so deletes can be refilled.
    static let targetLevels = 1100
    static let tradeSnapshotSize = 50

    /// A market with a full book and 50 trades of history that end just before `historyEnd`.
    init(pair: SimPair, seed: UInt64, historyEnd: UTCTimestamp) {
        self.pair = pair
        self.nextTradeID = pair.firstTradeID
        self.random = SeededGenerator(seed: seed)
        var bidPrice = pair.anchorPriceUnits - random.int(in: 1...pair.maxLevelGapUnits)
        var askPrice = pair.anchorPriceUnits + random.int(in: 1...pair.maxLevelGapUnits)
        for _ in 0..<Self.targetLevels {
            if bidPrice >= 1 { bids.appendWorse(SimLevel(price: bidPrice, qty: randomQty())) }
            asks.appendWorse(SimLevel(price: askPrice, qty: randomQty()))
            bidPrice -= random.int(in: 1...pair.maxLevelGapUnits)
            askPrice += random.int(in: 1...pair.maxLevelGapUnits)
        }
        var time = historyEnd.microseconds - 1
        var history: [SimTrade] = []
        for _ in 0..<Self.tradeSnapshotSize {
            let isBuy = random.chance(50)
            let price = (isBuy ? asks.best?.price : bids.best?.price) ?? pair.anchorPriceUnits
            history.append(
                SimTrade(
                    tradeID: 0, isBuy: isBuy, price: price, qty: randomQty(), isMarketOrder: random.chance(70),
                    timestamp: UTCTimestamp(microsecondsSince1970: time)))
            time -= random.int(in: 1_000...2_000_000)
        }
        for var trade in history.reversed() {
            trade.tradeID = nextTradeID
            nextTradeID += 1
            recentTrades.append(trade)
        }
    }

    /// Moves the market once; every trade of the step is stamped `timestamp`.
    mutating func step(at timestamp: UTCTimestamp) -> SimMarketStep {
        var change = SimMarketStep()
        let actions = 1 + (random.chance(30) ? 1 : 0) + (random.chance(10) ? 1 : 0)
        for _ in 0..<actions {
            let roll = random.int(in: 0...99)
            switch roll {
            case 0..<33: changeQty(&change, isBid: random.chance(50), withIntermediate: false)
            case 33..<43: changeQty(&change, isBid: random.chance(50), withIntermediate: true)
            case 43..<68: insertLevel(&change)
            case 68..<85: deleteLevel(&change, isBid: random.chance(50))
            default: trade(&change, at: timestamp)
            }
        }
        keepDepth(&change)
        return change
    }

    // MARK: - Actions

    private mutating func changeQty(_ change: inout SimMarketStep, isBid: Bool, withIntermediate: Bool) {
        let count = isBid ? bids.count : asks.count
        guard count > 0 else { return }
        let index = randomIndex(count: count)
        let old = isBid ? bids.levels[index] : asks.levels[index]
        var qty = randomQty()
        if qty == old.qty { qty += 1 }
        if withIntermediate {
            var intermediate = randomQty()
            if intermediate == qty { intermediate += 1 }
            if isBid { change.intermediateBids[old.price] = intermediate } else { change.intermediateAsks[old.price] = intermediate }
        }
        if isBid { bids.setQty(qty, at: index) } else { asks.setQty(qty, at: index) }
        change.touch(isBid: isBid, index: index)
    }

    private mutating func insertLevel(_ change: inout SimMarketStep) {
        guard let bestBid = bids.best?.price, let bestAsk = asks.best?.price else { return }
        let gap = pair.maxLevelGapUnits
        let spread = bestAsk - bestBid
        // A wide spread is closed first: real books rarely stay wide, and it keeps the walk bounded.
        let improvesBest = spread > 4 * gap || random.chance(12)
        if improvesBest, spread > 1 {
            let isBid = random.chance(upwardPercent())
            let price = isBid
                ? random.int(in: (bestBid + 1)...min(bestBid + gap, bestAsk - 1))
                : random.int(in: max(bestAsk - gap, bestBid + 1)...(bestAsk - 1))
            insert(&change, isBid: isBid, price: price)
            return
        }
        let isBid = random.chance(50)
        let count = isBid ? bids.count : asks.count
        guard count > 1 else { return }
        let index = 1 + randomIndex(count: count - 1)
        let better = isBid ? bids.levels[index - 1].price : asks.levels[index - 1].price
        let worse = isBid ? bids.levels[index].price : asks.levels[index].price
        guard abs(better - worse) > 1 else {
            changeQty(&change, isBid: isBid, withIntermediate: false)
            return
        }
        let price = isBid ? random.int(in: (worse + 1)...(better - 1)) : random.int(in: (better + 1)...(worse - 1))
        insert(&change, isBid: isBid, price: price)
    }

    private mutating func insert(_ change: inout SimMarketStep, isBid: Bool, price: Int64) {
        let qty = randomQty()
        let index = isBid ? bids.set(price: price, qty: qty) : asks.set(price: price, qty: qty)
        change.touch(isBid: isBid, index: index)
    }

    private mutating func deleteLevel(_ change: inout SimMarketStep, isBid: Bool) {
        let count = isBid ? bids.count : asks.count
        guard count > 20 else { return }
        let index = randomIndex(count: count)
        if isBid { bids.remove(at: index) } else { asks.remove(at: index) }
        change.touch(isBid: isBid, index: index)
    }

    /// A taker walks one to three levels of the opposite side; a partial fill ends the walk.
    private mutating func trade(_ change: inout SimMarketStep, at timestamp: UTCTimestamp) {
        let isBuy = random.chance(upwardPercent())
        let walk = Int(random.int(in: 1...3))
        let isMarketOrder = random.chance(70)
        for _ in 0..<walk {
            let count = isBuy ? asks.count : bids.count
            guard count > 20, let best = isBuy ? asks.best : bids.best else { return }
            let takesAll = best.qty == 1 || random.chance(40)
            let qty = takesAll ? best.qty : random.int(in: 1...(best.qty - 1))
            let trade = SimTrade(
                tradeID: nextTradeID, isBuy: isBuy, price: best.price, qty: qty, isMarketOrder: isMarketOrder,
                timestamp: timestamp)
            nextTradeID += 1
            change.trades.append(trade)
            recentTrades.append(trade)
            if recentTrades.count > Self.tradeSnapshotSize { recentTrades.removeFirst() }
            if takesAll {
                if isBuy { asks.remove(at: 0) } else { bids.remove(at: 0) }
            } else {
                if isBuy { asks.setQty(best.qty - qty, at: 0) } else { bids.setQty(best.qty - qty, at: 0) }
            }
            change.touch(isBid: !isBuy, index: 0)
            if !takesAll { return }
        }
    }

    /// Refills or trims the deep end so every depth stays full and memory stays bounded.
    private mutating func keepDepth(_ change: inout SimMarketStep) {
        let gap = pair.maxLevelGapUnits
        while bids.count < Self.targetLevels, let worst = bids.worst, worst.price - gap >= 1 {
            bids.appendWorse(SimLevel(price: worst.price - random.int(in: 1...gap), qty: randomQty()))
            change.touch(isBid: true, index: bids.count - 1)
        }
        while asks.count < Self.targetLevels, let worst = asks.worst {
            asks.appendWorse(SimLevel(price: worst.price + random.int(in: 1...gap), qty: randomQty()))
            change.touch(isBid: false, index: asks.count - 1)
        }
        while bids.count > Self.targetLevels + 200 {
            bids.remove(at: bids.count - 1)
            change.touch(isBid: true, index: bids.count)
        }
        while asks.count > Self.targetLevels + 200 {
            asks.remove(at: asks.count - 1)
            change.touch(isBid: false, index: asks.count)
        }
    }

    // MARK: - Random choices

    /// Mostly near the top of the book, sometimes anywhere.
    private mutating func randomIndex(count: Int) -> Int {
        let roll = random.int(in: 0...99)
        if roll < 70 {
            var index = 0
            while index < count - 1, random.chance(72) { index += 1 }
            return index
        }
        if roll < 90 { return Int(random.int(in: 0...Int64(min(count, 40) - 1))) }
        return Int(random.int(in: 0...Int64(count - 1)))
    }

    /// Percent chance that the next price move is upward: below the anchor it rises more often.
    private func upwardPercent() -> Int {
        guard let bid = bids.best?.price, let ask = asks.best?.price else { return 50 }
        let deviation = Double(bid + ask - 2 * pair.anchorPriceUnits) / Double(2 * pair.anchorPriceUnits)
        return 50 - Int(max(-30, min(30, deviation * 2_000)))
    }

    /// Quantities from dust to large, a quarter of them round (`0.30000000`) so trailing zeros appear.
    private mutating func randomQty() -> Int64 {
        let precision = Int(pair.qtyPrecision)
        if random.chance(25) {
            let roundUnit = ExactDecimal.powerOfTen(max(precision - 1, 0) + pair.qtyMagnitude) ?? 1
            return random.int(in: 1...50) * roundUnit
        }
        let exponent = Int(random.int(in: 0...Int64(precision + 1 + pair.qtyMagnitude)))
        let high = ExactDecimal.powerOfTen(exponent) ?? 1
        return random.int(in: max(1, high / 10)...high)
    }
}
