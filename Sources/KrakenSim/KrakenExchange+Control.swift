import BytebitCore

/// Live changes a test drives: a network blip, listing and delisting pairs, and the counters.
extension KrakenExchange {
    /// Resets every client connection at once (no close frame), as a network blip does.
    /// Returns how many were dropped.
    @discardableResult
    public func dropAllConnections() -> Int {
        let dropped = connections
        connections.removeAll()
        for connection in dropped {
            connection.isGone = true
            output.drop(connection.id)
        }
        logger.info("control: dropped every connection", metadata: ["sim.connections": "\(dropped.count)"])
        return dropped.count
    }

    /// Lists a new pair now: its market starts moving, and instrument subscribers get an update.
    /// Nil when the symbol is not `BASE/QUOTE` or is listed already.
    @discardableResult
    public func list(symbol: String, pricePrecision: Int8 = 4, qtyPrecision: Int8 = 8) -> SimPair? {
        let parts = symbol.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, marketIndex[symbol] == nil,
            (0...12).contains(pricePrecision), (0...12).contains(qtyPrecision)
        else { return nil }
        let now = clock.now()
        var pair = SimPair.plausiblePair(
            symbol: symbol, base: String(parts[0]), quote: String(parts[1]), pricePrecision: pricePrecision,
            qtyPrecision: qtyPrecision, random: &listingRandom)
        // The newcomer is as busy as the average listed pair.
        let listed = markets.indices.filter { !delistedMarkets.contains($0) }
        pair.relativeRate = listed.map { markets[$0].pair.relativeRate }.reduce(0, +) / Double(max(listed.count, 1))
        markets.append(SimMarket(pair: pair, seed: listingRandom.next(), historyEnd: simulatedTime(at: now)))
        marketIndex[symbol] = markets.count - 1
        recordClosedCandles(market: markets.count - 1)
        lastTimestamps.append(UTCTimestamp(microsecondsSince1970: .min))
        truthTradeIDs.append(TradeIDSet())
        scheduleEpochs.append(now)
        stepsTaken.append(0)
        sendInstrumentUpdate(KrakenFrames.instrumentUpdate(pairs: [pair], status: "online"), now: now)
        return pair
    }

    /// Delists a pair now: instrument subscribers get an update with status `delisted`, its data stops
    /// and new subscriptions to it are refused. False when it is not listed.
    @discardableResult
    public func delist(symbol: String) -> Bool {
        guard let market = marketIndex[symbol], delistedMarkets.insert(market).inserted else { return false }
        let now = clock.now()
        sendInstrumentUpdate(KrakenFrames.instrumentUpdate(pairs: [markets[market].pair], status: "delisted"), now: now)
        return true
    }

    /// The counters a test reads: connection attempts, refusals, bans, open connections, subscriptions.
    public var stats: SimStats {
        let now = clock.now()
        return SimStats(
            connectionAttempts: connectionLimit.attempts, refusals: connectionLimit.refusals,
            bans: connectionLimit.bans, isBanned: connectionLimit.isBanned(at: now),
            openConnections: connections.count,
            bookSubscriptions: connections.reduce(0) { $0 + $1.books.count },
            tradeSubscriptions: connections.reduce(0) { $0 + $1.trades.count },
            instrumentSubscriptions: connections.filter(\.hasInstrument).count,
            listedPairs: markets.count - delistedMarkets.count)
    }

    private func sendInstrumentUpdate(_ frame: String, now: UTCTimestamp) {
        for connection in connections where connection.hasInstrument {
            send(frame, to: connection, now: now)
        }
    }
}

/// The simulator's counters at one instant.
public struct SimStats: Sendable, Equatable {
    public var connectionAttempts: Int
    public var refusals: Int
    public var bans: Int
    public var isBanned: Bool
    public var openConnections: Int
    public var bookSubscriptions: Int
    public var tradeSubscriptions: Int
    public var instrumentSubscriptions: Int
    public var listedPairs: Int

    /// One JSON object, keys in snake_case.
    public var json: String {
        #"{"connection_attempts":\#(connectionAttempts),"refusals":\#(refusals),"bans":\#(bans)"#
            + #","banned":\#(isBanned),"open_connections":\#(openConnections)"#
            + #","book_subscriptions":\#(bookSubscriptions),"trade_subscriptions":\#(tradeSubscriptions)"#
            + #","instrument_subscriptions":\#(instrumentSubscriptions),"listed_pairs":\#(listedPairs)}"#
    }
}
