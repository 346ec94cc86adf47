import BytebitCore

/// Which snapshots `sendOwedSnapshots` sent: the step then sends no update for those.
struct SentSnapshots {
    var book = false
    var trades = false
    var ticker = false
    /// Ohlc intervals (minutes).
    var candles: Set<Int> = []
}

/// Moving a market and telling each subscriber what changed in its window.
extension KrakenExchange {
    /// One step of market `market`, published to every connection that follows it.
    func stepMarket(_ market: Int, at candidate: UTCTimestamp, now: UTCTimestamp) {
        let timestamp = nextTimestamp(market: market, candidate: candidate)
        let change = markets[market].step(at: timestamp)
        recordClosedCandles(market: market)
        let symbol = markets[market].pair.symbol
        var tickerUpdates: [SimTickerTrigger: String] = [:]
        var candleUpdates: [Int: String] = [:]
        for connection in connections where !connection.isGone {
            guard connection.follows(symbol) else { continue }
            if connection.isDataPaused(at: now) {
                connection.books[symbol]?.isCurrent = false
                continue
            }
            let sent = sendOwedSnapshots(market: market, to: connection, now: now, timestamp: timestamp)
            if !sent.book {
                publishBookUpdate(market: market, change: change, to: connection, timestamp: timestamp, now: now)
            }
            if !sent.trades, connection.trades.contains(symbol), !change.trades.isEmpty {
                sendTrades(type: "update", market: market, change.trades, to: connection, now: now)
            }
            if !sent.ticker, let trigger = connection.tickers[symbol],
                trigger == .bbo ? change.changesWindow(depth: 1) : !change.trades.isEmpty
            {
                if tickerUpdates[trigger] == nil {
                    tickerUpdates[trigger] = tickerFrame(
                        type: "update", market: market, trigger: trigger, timestamp: timestamp)
                }
                if let frame = tickerUpdates[trigger] { sendData(frame, to: connection, isBook: false, now: now) }
            }
            if !change.trades.isEmpty, let intervals = connection.ohlcs[symbol] {
                for interval in intervals.sorted() where !sent.candles.contains(interval) {
                    guard let candle = markets[market].candles.newest(minutes: interval) else { continue }
                    if candleUpdates[interval] == nil {
                        candleUpdates[interval] = KrakenFrames.ohlc(
                            type: "update", [candle.exact(pair: markets[market].pair)], timestamp: timestamp)
                    }
                    if let frame = candleUpdates[interval] { sendData(frame, to: connection, isBook: false, now: now) }
                }
            }
        }
    }

    /// Hands the candles the market closed to the truth.
    func recordClosedCandles(market: Int) {
        let closed = markets[market].takeClosedCandles()
        guard let truth else { return }
        for candle in closed { truth.record(candle.exact(pair: markets[market].pair)) }
    }

    /// The ticker frame of a market as of now, recorded in the truth once per (trigger, timestamp).
    private func tickerFrame(
        type: String, market: Int, trigger: SimTickerTrigger, timestamp: UTCTimestamp
    ) -> String? {
        let pair = markets[market].pair
        guard let figures = markets[market].tickerFigures(at: timestamp), let bid = markets[market].bids.best,
            let ask = markets[market].asks.best
        else { return nil }
        let ticker = SimTickerTruth(
            symbol: pair.symbol, trigger: trigger.rawValue, timestamp: timestamp, bid: pair.price(bid.price),
            bidQty: pair.qty(bid.qty), ask: pair.price(ask.price), askQty: pair.qty(ask.qty), last: figures.last,
            volume: figures.volume, vwap: figures.vwap, low: figures.low, high: figures.high, change: figures.change,
            changePercent: figures.changePercent)
        let key = "\(pair.symbol)#\(trigger.rawValue)"
        if lastTickerTruth[key] != timestamp {
            lastTickerTruth[key] = timestamp
            truth?.record(ticker)
        }
        return KrakenFrames.ticker(type: type, ticker)
    }

    /// Sends the book and trade snapshots the connection is owed for this market, unless its data is
    /// paused. `timestamp` is the current step's (nil outside a step: a fresh one is taken).
    @discardableResult
    func sendOwedSnapshots(
        market: Int, to connection: SimConnection, now: UTCTimestamp, timestamp: UTCTimestamp?
    ) -> SentSnapshots {
        let symbol = markets[market].pair.symbol
        guard !connection.isDataPaused(at: now) else { return SentSnapshots() }
        var sentBook = false
        if var subscription = connection.books[symbol], subscription.needsSnapshot {
            let stamp = timestamp ?? nextTimestamp(market: market, candidate: simulatedTime(at: now))
            subscription.bids = Array(markets[market].bids.top(subscription.depth))
            subscription.asks = Array(markets[market].asks.top(subscription.depth))
            subscription.needsSnapshot = false
            subscription.isCurrent = true
            connection.books[symbol] = subscription
            sendBook(
                type: "snapshot", market: market, bids: subscription.bids, asks: subscription.asks,
                depth: subscription.depth, timestamp: stamp, to: connection, now: now)
            sentBook = true
        }
        var sentTrades = false
        if connection.owedTradeSnapshots.contains(symbol), !connection.isDataPaused(at: now) {
            connection.owedTradeSnapshots.remove(symbol)
            sendTrades(type: "snapshot", market: market, markets[market].recentTrades, to: connection, now: now)
            sentTrades = true
        }
        var sent = SentSnapshots(book: sentBook, trades: sentTrades)
        if connection.owedTickerSnapshots.contains(symbol), let trigger = connection.tickers[symbol] {
            connection.owedTickerSnapshots.remove(symbol)
            let stamp = timestamp ?? nextTimestamp(market: market, candidate: simulatedTime(at: now))
            if let frame = tickerFrame(type: "snapshot", market: market, trigger: trigger, timestamp: stamp) {
                sendData(frame, to: connection, isBook: false, now: now)
            }
            sent.ticker = true
        }
        for interval in (connection.ohlcs[symbol] ?? []).sorted() {
            let key = SimCandleKey(symbol: symbol, intervalMinutes: interval)
            guard connection.owedCandleSnapshots.remove(key) != nil, !connection.isGone else { continue }
            let candles = markets[market].candles.snapshot(minutes: interval).map { $0.exact(pair: markets[market].pair) }
            let stamp = timestamp ?? simulatedTime(at: now)
            sendData(KrakenFrames.ohlc(type: "snapshot", candles, timestamp: stamp), to: connection, isBook: false, now: now)
            sent.candles.insert(interval)
        }
        return sent
    }

    private func publishBookUpdate(
        market: Int, change: SimMarketStep, to connection: SimConnection, timestamp: UTCTimestamp, now: UTCTimestamp
    ) {
        let symbol = markets[market].pair.symbol
        guard var subscription = connection.books[symbol] else { return }
        guard !subscription.isCurrent || change.changesWindow(depth: subscription.depth) else { return }
        let book = markets[market]
        let newBids = book.bids.top(subscription.depth)
        let newAsks = book.asks.top(subscription.depth)
        let bids = BookWindowDiff.levels(
            from: subscription.bids, to: newBids, market: book.bids, intermediate: change.intermediateBids)
        let asks = BookWindowDiff.levels(
            from: subscription.asks, to: newAsks, market: book.asks, intermediate: change.intermediateAsks)
        subscription.bids = Array(newBids)
        subscription.asks = Array(newAsks)
        subscription.isCurrent = true
        connection.books[symbol] = subscription
        guard !bids.isEmpty || !asks.isEmpty else { return }
        sendBook(
            type: "update", market: market, bids: bids, asks: asks, depth: subscription.depth,
            timestamp: timestamp, to: connection, now: now)
    }

    /// Sends one book frame (with the book-checksum fault if due) and records the window's truth.
    private func sendBook(
        type: String, market: Int, bids: [SimLevel], asks: [SimLevel], depth: Int, timestamp: UTCTimestamp,
        to connection: SimConnection, now: UTCTimestamp
    ) {
        let book = markets[market]
        let pair = book.pair
        let checksum = BookChecksum.compute(
            asks: pair.priceLevels(book.asks.top(BookChecksum.levelsPerSide)),
            bids: pair.priceLevels(book.bids.top(BookChecksum.levelsPerSide)),
            pricePrecision: pair.pricePrecision, qtyPrecision: pair.qtyPrecision)
        var sentChecksum = checksum
        if connection.faults.contains(.wrongChecksum(bookMessage: connection.bookFramesSent + 1)) {
            sentChecksum = checksum &+ 1
            logger.info(
                "injecting a wrong checksum",
                metadata: ["sim.connection": "\(connection.id.rawValue)", "market": "\(pair.symbol)"])
        }
        recordBookTruth(market: market, depth: depth, timestamp: timestamp, checksum: checksum)
        let frame = KrakenFrames.book(
            type: type, pair: pair, bids: bids, asks: asks, checksum: sentChecksum, timestamp: timestamp)
        sendData(frame, to: connection, isBook: true, now: now)
    }

    private func sendTrades(
        type: String, market: Int, _ trades: [SimTrade], to connection: SimConnection, now: UTCTimestamp
    ) {
        let pair = markets[market].pair
        if let truth {
            for trade in trades where truthTradeIDs[market].insert(trade.tradeID) {
                truth.record(
                    SimTradeTruth(
                        symbol: pair.symbol, tradeID: trade.tradeID, side: trade.isBuy ? "buy" : "sell",
                        price: pair.price(trade.price), qty: pair.qty(trade.qty),
                        orderType: trade.isMarketOrder ? "market" : "limit", timestamp: trade.timestamp))
            }
        }
        sendData(KrakenFrames.trades(type: type, pair: pair, trades), to: connection, isBook: false, now: now)
    }

    private func recordBookTruth(market: Int, depth: Int, timestamp: UTCTimestamp, checksum: UInt32) {
        guard let truth else { return }
        let book = markets[market]
        let key = "\(book.pair.symbol)#\(depth)"
        guard lastBookTruth[key] != timestamp else { return }
        lastBookTruth[key] = timestamp
        let pair = book.pair
        truth.record(
            SimBookTruth(
                symbol: pair.symbol, depth: depth, timestamp: timestamp, checksum: checksum,
                bids: pair.priceLevels(book.bids.top(depth)),
                asks: pair.priceLevels(book.asks.top(depth))))
    }
}
