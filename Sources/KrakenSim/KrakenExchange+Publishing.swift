import BytebitCore

/// Moving a market and telling each subscriber what changed in its window.
extension KrakenExchange {
    /// One step of market `market`, published to every connection that follows it.
    func stepMarket(_ market: Int, at candidate: UTCTimestamp, now: UTCTimestamp) {
        let timestamp = nextTimestamp(market: market, candidate: candidate)
        let change = markets[market].step(at: timestamp)
        let symbol = markets[market].pair.symbol
        for connection in connections where !connection.isGone {
            guard connection.books[symbol] != nil || connection.trades.contains(symbol) else { continue }
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
        }
    }

    /// Sends the book and trade snapshots the connection is owed for this market, unless its data is
    /// paused. `timestamp` is the current step's (nil outside a step: a fresh one is taken).
    @discardableResult
    func sendOwedSnapshots(
        market: Int, to connection: SimConnection, now: UTCTimestamp, timestamp: UTCTimestamp?
    ) -> (book: Bool, trades: Bool) {
        let symbol = markets[market].pair.symbol
        guard !connection.isDataPaused(at: now) else { return (false, false) }
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
        return (sentBook, sentTrades)
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
