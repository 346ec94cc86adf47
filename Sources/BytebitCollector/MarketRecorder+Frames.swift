import BytebitCore
import Logging

/// Decoding frames and routing them to the feed, the book, the trade sequencer and the writer.
extension MarketRecorder {
    func receive(frame: UnsafeRawBufferPointer) {
        let receivedAt = clock.now()
        let message: KrakenMessage
        do {
            message = try decoder.decode(frame)
        } catch {
            logger.info("malformed frame", metadata: ["error": "\(error)", "frame.bytes": "\(frame.count)"])
            handle(.malformedFrame(reason: "\(error)"), at: receivedAt)
            lastFrameAt = receivedAt
            return
        }
        receive(message: message, at: receivedAt)
    }

    /// One decoded frame (a group routes the ones that concern this market here).
    func receive(message: KrakenMessage, at receivedAt: UTCTimestamp) {
        // Interval rows show the book as it was at each tick: write the due ones before this frame changes it.
        writeDueIntervalRows(at: receivedAt)
        lastFrameAt = receivedAt
        switch message {
        case .book(let entries):
            for entry in entries { receive(book: entry, at: receivedAt) }
        case .trades(let message):
            receive(trades: message, at: receivedAt)
        case .status(let system, _):
            handle(.statusReceived(system: system), at: receivedAt)
        case .heartbeat, .ignored:
            handle(.messageReceived, at: receivedAt)
        case .pong:
            handle(.pongReceived, at: receivedAt)
        case .subscribed(let ack):
            receive(subscribeAck: ack, at: receivedAt)
        case .unsubscribed(let ack):
            receive(unsubscribeAck: ack, at: receivedAt)
        case .instrument(let instrument):
            receive(instrument: instrument, at: receivedAt)
        case .ticker(let ticker):
            receive(ticker: ticker, at: receivedAt)
        case .ohlc(let ohlc):
            receive(ohlc: ohlc, at: receivedAt)
        }
    }

    func receive(book message: KrakenBookMessage, at receivedAt: UTCTimestamp) {
        guard message.symbol == symbol, feed.readAcceptsBookMessages(), message.isSnapshot || hasBookSnapshot else {
            // Updates before the snapshot (or in flight after an unsubscribe) are not ours to apply.
            handle(.messageReceived, at: receivedAt)
            return
        }
        let result = book.ingest(message)
        if message.isSnapshot { hasBookSnapshot = true }
        guard result.isMatch else {
            handle(.bookChecksumMismatch(expected: result.expected, computed: result.computed), at: receivedAt)
            return
        }
        handle(.bookVerified(isSnapshot: message.isSnapshot), at: receivedAt)
        lastBookMessageAt = receivedAt
        lastVerifiedChecksum = result.computed
        guard feed.readIsBookWritable(), settings.market.recordsOrderBook, case .update = settings.market.mode else { return }
        emitBook(timestamp: message.timestamp ?? receivedAt, receivedAt: receivedAt, checksum: result.computed)
    }

    func receive(trades message: KrakenTradeMessage, at receivedAt: UTCTimestamp) {
        handle(.messageReceived, at: receivedAt)
        guard settings.market.recordsTrades else { return }
        // A market's own connection carries only its trades: keep the decoder's array then (a
        // filtered copy was an allocation per trade message).
        let ours = message.trades.allSatisfy { $0.symbol == symbol }
            ? message.trades : message.trades.filter { $0.symbol == symbol }
        // Kraken's trades come in id order: admitted one by one (no arrays of arrivals and
        // decisions per trade message); any other order through the sorting `admit(_:)`.
        if Self.isInTradeIDOrder(ours) {
            for index in ours.indices {
                let arrival = TradeArrival(
                    tradeID: ours[index].tradeID, timestamp: ours[index].timestamp, isSnapshot: message.isSnapshot)
                if let decision = trades.admitInOrder(arrival, at: index) {
                    record(decision, of: ours, at: receivedAt)
                }
            }
            return
        }
        let arrivals = ours.map { TradeArrival(tradeID: $0.tradeID, timestamp: $0.timestamp, isSnapshot: message.isSnapshot) }
        for decision in trades.admit(arrivals) {
            record(decision, of: ours, at: receivedAt)
        }
    }

    private static func isInTradeIDOrder(_ trades: [KrakenTrade]) -> Bool {
        var index = 1
        while index < trades.count {
            guard trades[index - 1].tradeID < trades[index].tradeID else { return false }
            index += 1
        }
        return true
    }

    /// One admitted trade: the gap before it (if any) in the ledger, then its row.
    private func record(_ decision: TradeDecision, of ours: [KrakenTrade], at receivedAt: UTCTimestamp) {
        if let gap = decision.gapBefore, case .recordEvent(let name, let detail) = gap.event {
            record(event: name, detail: detail, at: receivedAt)
        }
        let trade = ours[decision.index]
        emit(trade: TradeRecord(
            timestamp: trade.timestamp, receivedAt: receivedAt, tradeID: trade.tradeID,
            side: trade.side.rawValue, price: trade.price, qty: trade.qty, orderType: trade.ordType))
    }

    private func receive(subscribeAck ack: KrakenAck, at receivedAt: UTCTimestamp) {
        let channel = ack.channel.flatMap { FeedChannel(krakenName: $0, interval: ack.interval) }
        if ack.success, let channel {
            handle(.subscribeAcknowledged(channel: channel, symbol: ack.symbol), at: receivedAt)
        } else {
            handle(.subscribeRejected(
                channel: channel, symbol: ack.symbol, error: ack.error ?? "subscription refused",
                requestID: ack.reqID.map { Int($0) }), at: receivedAt)
        }
    }

    private func receive(unsubscribeAck ack: KrakenAck, at receivedAt: UTCTimestamp) {
        let channel = ack.channel.flatMap { FeedChannel(krakenName: $0, interval: ack.interval) }
        if ack.success, let channel {
            handle(.unsubscribeAcknowledged(channel: channel, symbol: ack.symbol), at: receivedAt)
        } else {
            handle(
                .unsubscribeRejected(channel: channel, symbol: ack.symbol, error: ack.error ?? "unsubscribe refused"),
                at: receivedAt)
        }
    }

    private func receive(instrument message: KrakenInstrumentMessage, at receivedAt: UTCTimestamp) {
        guard let pair = message.pairs.first(where: { $0.symbol.uppercased() == symbol.uppercased() }) else {
            if message.isSnapshot {
                handle(.instrumentReceived(pairListed: false, pricePrecision: 0, qtyPrecision: 0), at: receivedAt)
            } else {
                handle(.messageReceived, at: receivedAt)
            }
            return
        }
        if pair.pricePrecision != book.pricePrecision || pair.qtyPrecision != book.qtyPrecision {
            book.updatePrecision(price: pair.pricePrecision, qty: pair.qtyPrecision)
        }
        recordPairMetadata(pricePrecision: Int(pair.pricePrecision), qtyPrecision: Int(pair.qtyPrecision), at: receivedAt)
        klinesSetPricePrecision(Int(pair.pricePrecision), at: receivedAt)
        handle(.instrumentReceived(
            pairListed: pair.status != "delisted", pricePrecision: Int(pair.pricePrecision),
            qtyPrecision: Int(pair.qtyPrecision)), at: receivedAt)
    }

    /// `data/PAIR/pair.csv` says the precisions and levels a typed loader needs; a row only when one changed.
    /// Instrument messages are rare (one snapshot per connection), so this small file I/O may run here.
    private func recordPairMetadata(pricePrecision: Int, qtyPrecision: Int, at receivedAt: UTCTimestamp) {
        let entry = PairMetadata.Entry(
            since: receivedAt, pricePrecision: pricePrecision, qtyPrecision: qtyPrecision,
            orderBookLevels: settings.market.levels)
        do {
            try PairMetadata.record(entry, dataDirectory: settings.config.dataDirectory, pair: settings.market.pair.name)
        } catch {
            logger.warning("cannot record the pair's precisions in pair.csv", metadata: ["error": "\(error)"])
        }
    }

    /// `mode: interval`: one row per due tick while the book is verified and the feed has been heard
    /// from recently (a stalled process must not stamp an old book with new tick times).
    func writeDueIntervalRows(at now: UTCTimestamp) {
        guard var schedule = intervalSchedule else { return }
        let due = schedule.ticksDue(at: now)
        intervalSchedule = schedule
        guard !due.isEmpty, feed.isBookWritable, settings.market.recordsOrderBook,
              let lastFrameAt, let receivedAt = lastBookMessageAt else { return }
        let levels = settings.market.levels
        for tick in due where tick.microseconds - lastFrameAt.microseconds <= Self.intervalSilenceLimit {
            emit(book: VerifiedBookTop(
                timestamp: tick, receivedAt: receivedAt, levels: levels, of: &book, checksum: lastVerifiedChecksum))
        }
    }

    /// Kraken sends a heartbeat every second when idle: a tick further than this from the last frame
    /// is not known to show the current book.
    static var intervalSilenceLimit: Int64 { 2_000_000 }
}
