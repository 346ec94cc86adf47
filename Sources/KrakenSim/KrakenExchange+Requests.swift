import BytebitCore

/// Requests: ping, subscribe, unsubscribe, with one acknowledgement per symbol as Kraken sends.
///
/// Error texts: "Currency pair not supported SYMBOL" and "Already subscribed" are Kraken's own;
/// "Subscription depth not supported" is what Kraken v2 answered to depth 20 in a third-party probe;
/// "Subscription name invalid", "Subscription Not Found" and "Malformed request" are Kraken's v1
/// texts (the v2 ones are not documented).
extension KrakenExchange {
    static let bookDepths: Set<Int> = [10, 25, 100, 500, 1000]

    func handleRequest(_ text: String, from connection: SimConnection, now: UTCTimestamp) {
        let timeIn = simulatedTime(at: now)
        guard let request = SimRequest(text: text) else {
            reply(
                error: "Malformed request", method: nil, requestID: SimRequest.requestID(in: text), symbol: nil,
                to: connection, timeIn: timeIn, now: now)
            return
        }
        switch request.method {
        case "ping":
            send(
                KrakenFrames.pong(requestID: request.requestID, timeIn: timeIn, timeOut: timeOut(after: timeIn)),
                to: connection, now: now)
        case "subscribe":
            subscribe(request, connection: connection, timeIn: timeIn, now: now)
        case "unsubscribe":
            unsubscribe(request, connection: connection, timeIn: timeIn, now: now)
        default:
            reply(
                error: "Method not found", method: request.method, requestID: request.requestID, symbol: nil,
                to: connection, timeIn: timeIn, now: now)
        }
    }

    private func subscribe(_ request: SimRequest, connection: SimConnection, timeIn: UTCTimestamp, now: UTCTimestamp) {
        let method = request.method
        switch request.channel {
        case "instrument":
            guard !connection.hasInstrument else {
                reply(
                    error: "Already subscribed", method: method, requestID: request.requestID, symbol: nil,
                    to: connection, timeIn: timeIn, now: now)
                return
            }
            let snapshot = request.snapshot ?? true
            connection.hasInstrument = true
            acknowledge(
                method: method, request: request, result: KrakenFrames.instrumentResult(snapshot: snapshot),
                to: connection, timeIn: timeIn, now: now)
            if snapshot { send(KrakenFrames.instrumentSnapshot(pairs: pairs), to: connection, now: now) }
        case "book", "trade", "ticker", "ohlc":
            guard let symbols = request.symbols, !symbols.isEmpty else {
                reply(
                    error: "Malformed request", method: method, requestID: request.requestID, symbol: nil,
                    to: connection, timeIn: timeIn, now: now)
                return
            }
            for symbol in symbols {
                switch request.channel {
                case "book": subscribeBook(symbol, request: request, connection: connection, timeIn: timeIn, now: now)
                case "trade":
                    subscribeTrades(symbol, request: request, connection: connection, timeIn: timeIn, now: now)
                case "ticker":
                    subscribeTicker(symbol, request: request, connection: connection, timeIn: timeIn, now: now)
                default: subscribeOHLC(symbol, request: request, connection: connection, timeIn: timeIn, now: now)
                }
            }
        default:
            reply(
                error: "Subscription name invalid", method: method, requestID: request.requestID, symbol: nil,
                to: connection, timeIn: timeIn, now: now)
        }
    }

    private func subscribeBook(
        _ symbol: String, request: SimRequest, connection: SimConnection, timeIn: UTCTimestamp, now: UTCTimestamp
    ) {
        func refuse(_ error: String) {
            reply(
                error: error, method: request.method, requestID: request.requestID, symbol: symbol,
                to: connection, timeIn: timeIn, now: now)
        }
        let depth: Int?
        switch request.depth {
        case .none: depth = 10
        case .some(let value): depth = value.flatMap { Self.bookDepths.contains($0) ? $0 : nil }
        }
        guard let depth else { return refuse("Subscription depth not supported") }
        guard let market = marketIndex[symbol], !delistedMarkets.contains(market), !connection.rejects(channel: "book", symbol: symbol)
        else {
            return refuse("Currency pair not supported \(symbol)")
        }
        guard connection.books[symbol] == nil else { return refuse("Already subscribed") }
        let snapshot = request.snapshot ?? true
        var subscription = SimBookSubscription(depth: depth, needsSnapshot: snapshot)
        if !snapshot {
            // Without a snapshot the client is assumed to know the book already: diffs start from now.
            subscription.bids = Array(markets[market].bids.top(depth))
            subscription.asks = Array(markets[market].asks.top(depth))
            subscription.isCurrent = true
        }
        connection.books[symbol] = subscription
        acknowledge(
            method: request.method, request: request,
            result: KrakenFrames.bookResult(symbol: symbol, depth: depth, snapshot: snapshot),
            to: connection, timeIn: timeIn, now: now)
        sendOwedSnapshots(market: market, to: connection, now: now, timestamp: nil)
    }

    private func subscribeTrades(
        _ symbol: String, request: SimRequest, connection: SimConnection, timeIn: UTCTimestamp, now: UTCTimestamp
    ) {
        guard let market = marketIndex[symbol], !delistedMarkets.contains(market),
            !connection.rejects(channel: "trade", symbol: symbol)
        else {
            reply(
                error: "Currency pair not supported \(symbol)", method: request.method, requestID: request.requestID,
                symbol: symbol, to: connection, timeIn: timeIn, now: now)
            return
        }
        guard !connection.trades.contains(symbol) else {
            reply(
                error: "Already subscribed", method: request.method, requestID: request.requestID, symbol: symbol,
                to: connection, timeIn: timeIn, now: now)
            return
        }
        // Kraken's documented default for trade snapshots is false.
        let snapshot = request.snapshot ?? false
        connection.trades.insert(symbol)
        if snapshot { connection.owedTradeSnapshots.insert(symbol) }
        acknowledge(
            method: request.method, request: request,
            result: KrakenFrames.tradeResult(symbol: symbol, snapshot: snapshot),
            to: connection, timeIn: timeIn, now: now)
        sendOwedSnapshots(market: market, to: connection, now: now, timestamp: nil)
    }

    private func unsubscribe(_ request: SimRequest, connection: SimConnection, timeIn: UTCTimestamp, now: UTCTimestamp)
    {
        let method = request.method
        switch request.channel {
        case "instrument":
            guard connection.hasInstrument else {
                reply(
                    error: "Subscription Not Found", method: method, requestID: request.requestID, symbol: nil,
                    to: connection, timeIn: timeIn, now: now)
                return
            }
            connection.hasInstrument = false
            acknowledge(
                method: method, request: request, result: #"{"channel":"instrument"}"#,
                to: connection, timeIn: timeIn, now: now)
        case "book", "trade", "ticker", "ohlc":
            guard let symbols = request.symbols, !symbols.isEmpty else {
                reply(
                    error: "Malformed request", method: method, requestID: request.requestID, symbol: nil,
                    to: connection, timeIn: timeIn, now: now)
                return
            }
            for symbol in symbols {
                let result: String?
                if request.channel == "book" {
                    result = connection.books.removeValue(forKey: symbol).map {
                        KrakenFrames.bookResult(symbol: symbol, depth: $0.depth, snapshot: true)
                    }
                } else if request.channel == "ticker" {
                    connection.owedTickerSnapshots.remove(symbol)
                    result = connection.tickers.removeValue(forKey: symbol).map {
                        KrakenFrames.tickerResult(symbol: symbol, trigger: $0.rawValue, snapshot: false)
                    }
                } else if request.channel == "ohlc" {
                    result = unsubscribeOHLC(symbol, request: request, connection: connection)
                } else {
                    let removed = connection.trades.remove(symbol) != nil
                    connection.owedTradeSnapshots.remove(symbol)
                    result = removed ? KrakenFrames.tradeResult(symbol: symbol, snapshot: false) : nil
                }
                if let result {
                    acknowledge(
                        method: method, request: request, result: result, to: connection, timeIn: timeIn, now: now)
                } else {
                    reply(
                        error: "Subscription Not Found", method: method, requestID: request.requestID, symbol: symbol,
                        to: connection, timeIn: timeIn, now: now)
                }
            }
        default:
            reply(
                error: "Subscription name invalid", method: method, requestID: request.requestID, symbol: nil,
                to: connection, timeIn: timeIn, now: now)
        }
    }

    private func subscribeTicker(
        _ symbol: String, request: SimRequest, connection: SimConnection, timeIn: UTCTimestamp, now: UTCTimestamp
    ) {
        func refuse(_ error: String) {
            reply(
                error: error, method: request.method, requestID: request.requestID, symbol: symbol,
                to: connection, timeIn: timeIn, now: now)
        }
        // Kraken's documented default trigger is `trades`.
        guard let trigger = SimTickerTrigger(rawValue: request.eventTrigger ?? "trades") else {
            return refuse("Invalid event_trigger")
        }
        guard let market = marketIndex[symbol], !delistedMarkets.contains(market),
            !connection.rejects(channel: "ticker", symbol: symbol)
        else { return refuse("Currency pair not supported \(symbol)") }
        guard connection.tickers[symbol] == nil else { return refuse("Already subscribed") }
        let snapshot = request.snapshot ?? true
        connection.tickers[symbol] = trigger
        if snapshot { connection.owedTickerSnapshots.insert(symbol) }
        acknowledge(
            method: request.method, request: request,
            result: KrakenFrames.tickerResult(symbol: symbol, trigger: trigger.rawValue, snapshot: snapshot),
            to: connection, timeIn: timeIn, now: now)
        sendOwedSnapshots(market: market, to: connection, now: now, timestamp: nil)
    }

    private func subscribeOHLC(
        _ symbol: String, request: SimRequest, connection: SimConnection, timeIn: UTCTimestamp, now: UTCTimestamp
    ) {
        func refuse(_ error: String) {
            reply(
                error: error, method: request.method, requestID: request.requestID, symbol: symbol,
                to: connection, timeIn: timeIn, now: now)
        }
        // Kraken's documented default interval is 1 minute.
        let interval = request.interval ?? 1
        guard SimCandleSeries.intervals.contains(interval) else { return refuse("Subscription interval not supported") }
        guard let market = marketIndex[symbol], !delistedMarkets.contains(market),
            !connection.rejects(channel: "ohlc", symbol: symbol)
        else { return refuse("Currency pair not supported \(symbol)") }
        guard connection.ohlcs[symbol]?.contains(interval) != true else { return refuse("Already subscribed") }
        let snapshot = request.snapshot ?? true
        connection.ohlcs[symbol, default: []].insert(interval)
        if snapshot { connection.owedCandleSnapshots.insert(SimCandleKey(symbol: symbol, intervalMinutes: interval)) }
        acknowledge(
            method: request.method, request: request,
            result: KrakenFrames.ohlcResult(symbol: symbol, interval: interval, snapshot: snapshot),
            to: connection, timeIn: timeIn, now: now)
        sendOwedSnapshots(market: market, to: connection, now: now, timestamp: nil)
    }

    /// Removes one ohlc subscription; the ack's result, or nil when there was none.
    private func unsubscribeOHLC(_ symbol: String, request: SimRequest, connection: SimConnection) -> String? {
        let interval = request.interval ?? 1
        guard connection.ohlcs[symbol]?.remove(interval) != nil else { return nil }
        if connection.ohlcs[symbol]?.isEmpty == true { connection.ohlcs[symbol] = nil }
        connection.owedCandleSnapshots.remove(SimCandleKey(symbol: symbol, intervalMinutes: interval))
        return KrakenFrames.ohlcResult(symbol: symbol, interval: interval, snapshot: false)
    }

    private func acknowledge(
        method: String, request: SimRequest, result: String, to connection: SimConnection, timeIn: UTCTimestamp,
        now: UTCTimestamp
    ) {
        let frame = KrakenFrames.success(
            method: method, requestID: request.requestID, result: result, timeIn: timeIn,
            timeOut: timeOut(after: timeIn))
        send(frame, to: connection, now: now)
    }

    private func reply(
        error: String, method: String?, requestID: Int64?, symbol: String?, to connection: SimConnection,
        timeIn: UTCTimestamp, now: UTCTimestamp
    ) {
        let frame = KrakenFrames.failure(
            method: method, requestID: requestID, error: error, symbol: symbol, timeIn: timeIn,
            timeOut: timeOut(after: timeIn))
        send(frame, to: connection, now: now)
    }

    /// Kraken answers within tens of microseconds.
    private func timeOut(after timeIn: UTCTimestamp) -> UTCTimestamp {
        UTCTimestamp(microsecondsSince1970: timeIn.microseconds + random.int(in: 20...60))
    }
}
