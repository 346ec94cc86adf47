import BytebitCore

/// Frames decoded once and routed: market data to its market by symbol, connection-level frames
/// (status, heartbeat, pong, instrument) to every part.
extension MarketGroupRecorder {
    func receive(frame: UnsafeRawBufferPointer) {
        let receivedAt = clock.now()
        lastConnectionFrameAt = receivedAt
        let message: KrakenMessage
        do {
            message = try decoder.decode(frame)
        } catch {
            receive(malformedFrame: frame, error: error, at: receivedAt)
            return
        }
        switch message {
        case .book(let entries):
            for entry in entries {
                // A pair the group does not carry (or a stray frame) is liveness only.
                guard let part = part(for: entry.symbol) else { continue }
                part.writeDueIntervalRows(at: receivedAt)
                part.lastFrameAt = receivedAt
                part.receive(book: entry, at: receivedAt)
            }
        case .trades(let trades):
            // Kraken's trade messages carry one pair's trades: that part alone, without a list of
            // the pairs done (an array allocated per trade message).
            guard let first = trades.trades.first?.symbol else { break }
            if trades.trades.allSatisfy({ $0.symbol == first }) {
                part(for: first)?.receive(message: message, at: receivedAt)
                break
            }
            var done: [String] = []
            for trade in trades.trades where !done.contains(trade.symbol) {
                done.append(trade.symbol)
                part(for: trade.symbol)?.receive(message: message, at: receivedAt)
            }
        case .ticker(let ticker):
            for symbol in Set(ticker.tickers.map(\.symbol)) {
                part(for: symbol)?.receive(message: message, at: receivedAt)
            }
        case .ohlc(let ohlc):
            for symbol in Set(ohlc.candles.map(\.symbol)) {
                part(for: symbol)?.receive(message: message, at: receivedAt)
            }
        case .pong:
            pingOutstanding = false
            receive(pong: message, at: receivedAt)
        case .subscribed(let ack), .unsubscribed(let ack):
            receive(ack: ack, message: message, at: receivedAt)
        case .status, .heartbeat, .ignored, .instrument:
            everyPart(message, at: receivedAt)
        }
    }

    /// A frame that names carried pairs concerns only them (their books resync while live); one
    /// that names none could have been any pair's, so every part takes it.
    private func receive(malformedFrame frame: UnsafeRawBufferPointer, error: any Error, at receivedAt: UTCTimestamp) {
        wakeUps.markAllStale()
        let named = MalformedFrameSymbols.named(in: frame).compactMap { part(for: $0) }
        logger.info("malformed frame", metadata: [
            "error": "\(error)", "frame.bytes": "\(frame.count)",
            "markets": "\(named.isEmpty ? "all" : named.map(\.symbol).joined(separator: ","))",
        ])
        let concerned = named.isEmpty ? parts : named
        for part in parts where part.exitCode == nil {
            let input: FeedInput = concerned.contains { $0 === part } ? .malformedFrame(reason: "\(error)") : .messageReceived
            part.handle(input, at: receivedAt)
            part.lastFrameAt = receivedAt
        }
    }

    /// The group's one ping stood for every part that wanted one: its pong goes to the parts still
    /// waiting for an answer. The others need nothing of it (the frame's liveness reaches them by
    /// `shareConnectionLiveness`): handing it to each of a 60–100-market group's parts cost ~2,000
    /// instructions a part, each part's wake-up then asked again too (issue 10, callgrind).
    private func receive(pong message: KrakenMessage, at receivedAt: UTCTimestamp) {
        for (index, part) in parts.enumerated() where part.exitCode == nil && part.feed.readIsAwaitingPong() {
            wakeUps.markStale(index)
            part.receive(message: message, at: receivedAt)
        }
    }

    private func everyPart(_ message: KrakenMessage, at receivedAt: UTCTimestamp) {
        wakeUps.markAllStale()
        for part in parts where part.exitCode == nil { part.receive(message: message, at: receivedAt) }
    }

    /// Kraken acks per symbol: to that symbol's part. The instrument ack is every part's; a
    /// rejection naming no symbol goes to the parts of the request its `req_id` names.
    private func receive(ack: KrakenAck, message: KrakenMessage, at receivedAt: UTCTimestamp) {
        if let symbol = ack.symbol, let part = part(for: symbol) {
            // The echoed `req_id` is the group's: the part knows its own (a rejection names no channel).
            guard let requestID = ack.reqID, let member = requests.members[Int(requestID)]?.first(where: { $0.symbol == symbol })
            else {
                part.receive(message: message, at: receivedAt)
                return
            }
            var own = ack
            own.reqID = Int64(member.requestID)
            part.receive(message: ack.method == "unsubscribe" ? .unsubscribed(own) : .subscribed(own), at: receivedAt)
            return
        }
        if ack.channel == FeedChannel.instrument.rawValue {
            everyPart(message, at: receivedAt)
            return
        }
        guard let requestID = ack.reqID, let members = requests.members[Int(requestID)] else {
            logger.info("an answer for no carried pair", metadata: ["symbol": "\(ack.symbol ?? "none")"])
            return
        }
        for member in members {
            var own = ack
            own.symbol = member.symbol
            own.reqID = Int64(member.requestID)
            let ownMessage: KrakenMessage = ack.method == "unsubscribe" ? .unsubscribed(own) : .subscribed(own)
            part(for: member.symbol)?.receive(message: ownMessage, at: receivedAt)
        }
    }
}
