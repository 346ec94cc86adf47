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
            logger.info("malformed frame", metadata: ["error": "\(error)", "frame.bytes": "\(frame.count)"])
            for part in parts {
                part.handle(.malformedFrame(reason: "\(error)"), at: receivedAt)
                part.lastFrameAt = receivedAt
            }
            return
        }
        switch message {
        case .book(let entries):
            for entry in entries {
                // A pair the group does not carry (or a stray frame) is liveness only.
                guard let part = partsBySymbol[entry.symbol] else { continue }
                part.writeDueIntervalRows(at: receivedAt)
                part.lastFrameAt = receivedAt
                part.receive(book: entry, at: receivedAt)
            }
        case .trades(let trades):
            var done: [String] = []
            for trade in trades.trades where !done.contains(trade.symbol) {
                done.append(trade.symbol)
                partsBySymbol[trade.symbol]?.receive(message: message, at: receivedAt)
            }
        case .ticker(let ticker):
            for symbol in Set(ticker.tickers.map(\.symbol)) {
                partsBySymbol[symbol]?.receive(message: message, at: receivedAt)
            }
        case .ohlc(let ohlc):
            for symbol in Set(ohlc.candles.map(\.symbol)) {
                partsBySymbol[symbol]?.receive(message: message, at: receivedAt)
            }
        case .pong:
            pingOutstanding = false
            everyPart(message, at: receivedAt)
        case .subscribed(let ack), .unsubscribed(let ack):
            receive(ack: ack, message: message, at: receivedAt)
        case .status, .heartbeat, .ignored, .instrument:
            everyPart(message, at: receivedAt)
        }
    }

    private func everyPart(_ message: KrakenMessage, at receivedAt: UTCTimestamp) {
        for part in parts where part.exitCode == nil { part.receive(message: message, at: receivedAt) }
    }

    /// Kraken acks per symbol: to that symbol's part. The instrument ack is every part's; a
    /// rejection naming no symbol goes to the parts of the request its `req_id` names.
    private func receive(ack: KrakenAck, message: KrakenMessage, at receivedAt: UTCTimestamp) {
        if let symbol = ack.symbol, let part = partsBySymbol[symbol] {
            part.receive(message: message, at: receivedAt)
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
            partsBySymbol[member.symbol]?.receive(message: ownMessage, at: receivedAt)
        }
    }
}
