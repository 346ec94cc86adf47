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
    /// Where the market "really" is: bids rest below it, asks above, and levels it crosses trade.
    private(set) var fairPrice: Int64
    /// The candles of every ohlc interval, from every trade (the history's too).
    private(set) var candles = SimCandleSeries()
    /// The ticker's rolling 24-hour figures.
    private(set) var dayStats = SimDayStats()
    private var random: SeededGenerator

    /// Levels kept per side: more than the deepest subscription (1000) so deletes can be refilled.
    static let targetLevels = 1100
    static let tradeSnapshotSize = 50

    /// A market with a full book and 50 trades of history that end just before `historyEnd`.
    init(pair: SimPair, seed: UInt64, historyEnd: UTCTimestamp) {
        self.pair = pair
        self.nextTradeID = pair.firstTradeID
        self.fairPrice = pair.anchorPriceUnits
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
            follow(trade)
        }
    }

    /// Moves the market once; every trade of the step is stamped `timestamp`.
    mutating func step(at timestamp: UTCTimestamp) -> SimMarketStep {
        var change = SimMarketStep()
        let actions = 1 + (random.chance(30) ? 1 : 0) + (random.chance(10) ? 1 : 0)
        for _ in 0..<actions {
            let roll = random.int(in: 0...99)
            switch roll {
            case 0..<30: changeQty(&change, isBid: random.chance(50), withIntermediate: false)
            case 30..<40: changeQty(&change, isBid: random.chance(50), withIntermediate: true)
            case 40..<65: insertLevel(&change, isBid: random.chance(50))
            case 65..<80: deleteLevel(&change, isBid: random.chance(50))
            case 80..<90: moveFairPrice(&change, at: timestamp)
            default: partialTrade(&change, at: timestamp)
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
            if isBid {
                change.intermediateBids[old.price] = intermediate
            } else {
                change.intermediateAsks[old.price] = intermediate
            }
        }
        if isBid { bids.setQty(qty, at: index) } else { asks.setQty(qty, at: index) }
        change.touch(isBid: isBid, index: index)
    }

    /// A new order at some distance behind the fair price, mostly close to it; never crossing the
    /// opposite side.
    private mutating func insertLevel(_ change: inout SimMarketStep, isBid: Bool) {
        let gap = pair.maxLevelGapUnits
        let distance = random.int(in: 0...gap) + Int64(randomIndex(count: Self.targetLevels)) * ((gap + 1) / 2)
        let price = isBid ? fairPrice - 1 - distance : fairPrice + 1 + distance
        let crosses =
            isBid ? (asks.best.map { price >= $0.price } ?? false) : (bids.best.map { price <= $0.price } ?? false)
        guard price >= 1, !crosses else {
            changeQty(&change, isBid: isBid, withIntermediate: false)
            return
        }
        let index = isBid ? bids.set(price: price, qty: randomQty()) : asks.set(price: price, qty: randomQty())
        change.touch(isBid: isBid, index: index)
    }

    private mutating func deleteLevel(_ change: inout SimMarketStep, isBid: Bool) {
        let count = isBid ? bids.count : asks.count
        guard count > 20 else { return }
        let index = randomIndex(count: count)
        if isBid { bids.remove(at: index) } else { asks.remove(at: index) }
        change.touch(isBid: isBid, index: index)
    }

    /// The fair price takes a mean-reverting step; levels it crosses are traded away (a taker
    /// sweeping up to five levels in one message).
    private mutating func moveFairPrice(_ change: inout SimMarketStep, at timestamp: UTCTimestamp) {
        let isUp = random.chance(upwardPercent())
        let move = random.int(in: 1...pair.maxLevelGapUnits)
        fairPrice = max(1, isUp ? fairPrice + move : fairPrice - move)
        let isMarketOrder = random.chance(70)
        for _ in 0..<5 {
            if let ask = asks.best, ask.price <= fairPrice, asks.count > 20 {
                record(
                    isBuy: true, price: ask.price, qty: ask.qty, isMarketOrder: isMarketOrder, at: timestamp,
                    into: &change)
                asks.remove(at: 0)
                change.touch(isBid: false, index: 0)
            } else if let bid = bids.best, bid.price >= fairPrice, bids.count > 20 {
                record(
                    isBuy: false, price: bid.price, qty: bid.qty, isMarketOrder: isMarketOrder, at: timestamp,
                    into: &change)
                bids.remove(at: 0)
                change.touch(isBid: true, index: 0)
            } else {
                return
            }
        }
    }

    /// A taker takes part of the best level (all of it when it is one unit).
    private mutating func partialTrade(_ change: inout SimMarketStep, at timestamp: UTCTimestamp) {
        let isBuy = random.chance(50)
        let count = isBuy ? asks.count : bids.count
        guard count > 20, let best = isBuy ? asks.best : bids.best else { return }
        let qty = best.qty == 1 ? 1 : random.int(in: 1...(best.qty - 1))
        record(
            isBuy: isBuy, price: best.price, qty: qty, isMarketOrder: random.chance(70), at: timestamp, into: &change)
        if qty == best.qty {
            if isBuy { asks.remove(at: 0) } else { bids.remove(at: 0) }
        } else {
            if isBuy { asks.setQty(best.qty - qty, at: 0) } else { bids.setQty(best.qty - qty, at: 0) }
        }
        change.touch(isBid: !isBuy, index: 0)
    }

    private mutating func record(
        isBuy: Bool, price: Int64, qty: Int64, isMarketOrder: Bool, at timestamp: UTCTimestamp,
        into change: inout SimMarketStep
    ) {
        let trade = SimTrade(
            tradeID: nextTradeID, isBuy: isBuy, price: price, qty: qty, isMarketOrder: isMarketOrder,
            timestamp: timestamp)
        nextTradeID += 1
        change.trades.append(trade)
        recentTrades.append(trade)
        if recentTrades.count > Self.tradeSnapshotSize { recentTrades.removeFirst() }
        follow(trade)
    }

    /// Candles and the 24-hour figures follow every trade.
    private mutating func follow(_ trade: SimTrade) {
        candles.add(price: trade.price, qty: trade.qty, at: trade.timestamp)
        dayStats.add(price: trade.price, qty: trade.qty, at: trade.timestamp)
    }

    /// The candles closed since the last call (for the truth), oldest first.
    mutating func takeClosedCandles() -> [SimCandle] {
        candles.takeClosed()
    }

    /// The ticker's figures at `time`; nil before the first trade.
    mutating func tickerFigures(at time: UTCTimestamp) -> SimTickerFigures? {
        dayStats.figures(at: time, pair: pair)
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
        let deviation = Double(fairPrice - pair.anchorPriceUnits) / Double(pair.anchorPriceUnits)
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
