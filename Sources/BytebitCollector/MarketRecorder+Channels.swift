import BytebitCore
import Logging

/// Kraken's ticker and ohlc channels (SPEC §10): a ticker row per message; Kraken's candles through
/// one `OHLCCandleKeeper` per interval, so a row is the last version of an interval that has ended.
extension MarketRecorder {
    /// One keeper per recorded interval, each continuing after the newest row of its file (so a
    /// restart's first snapshot repeats no row).
    static func candleKeepers(settings: RecorderSettings, today: UTCTimestamp, logger: Logger) -> [OHLCCandleKeeper] {
        settings.market.ohlcIntervals.map { interval in
            var lastWritten: UTCTimestamp?
            do {
                lastWritten = try LastRecordedRow.leadingCells(
                    dataDirectory: settings.config.dataDirectory, pair: settings.market.pair.name,
                    kind: .ohlc(interval), today: today
                ).flatMap { UTCTimestamp($0.0) }
            } catch {
                logger.warning(
                    "cannot read back the last recorded candle; the first snapshot may repeat one",
                    metadata: ["ohlc.interval": "\(interval)", "error": "\(error)"])
            }
            return OHLCCandleKeeper(interval: interval, lastWrittenBegin: lastWritten)
        }
    }

    func receive(ticker message: KrakenTickerMessage, at receivedAt: UTCTimestamp) {
        handle(.messageReceived, at: receivedAt)
        guard settings.market.recordsTicker else { return }
        for entry in message.tickers where entry.symbol == symbol {
            emit(ticker: TickerRecord(entry, receivedAt: receivedAt))
        }
    }

    func receive(ohlc message: KrakenOHLCMessage, at receivedAt: UTCTimestamp) {
        handle(.messageReceived, at: receivedAt)
        for index in candleKeepers.indices {
            let minutes = candleKeepers[index].interval.minutes
            let candles = message.candles.filter { $0.symbol == symbol && $0.intervalMinutes == minutes }
            guard !candles.isEmpty else { continue }
            apply(candleKeepers[index].receive(candles, now: receivedAt), keeper: index, at: receivedAt)
        }
    }

    /// Candles whose interval ended more than the grace ago are final.
    func writeDueCandles(at now: UTCTimestamp) {
        for index in candleKeepers.indices where candleKeepers[index].nextDeadline.map({ now >= $0 }) == true {
            apply(candleKeepers[index].tick(now: now), keeper: index, at: now)
        }
    }

    /// The connection ended: the open candles may miss updates until Kraken's next snapshot.
    func candlesLostConnection() {
        for index in candleKeepers.indices { candleKeepers[index].connectionLost() }
    }

    private func apply(_ outcomes: [OHLCCandleKeeper.Outcome], keeper index: Int, at now: UTCTimestamp) {
        let interval = candleKeepers[index].interval
        for outcome in outcomes {
            switch outcome {
            case .write(let candle):
                emit(candle: OHLCRecord(candle, interval: interval), at: now)
            case .dropped(let begin):
                record(
                    event: .ohlcGap,
                    detail: "ohlc \(interval) \(symbol): the candle of \(begin) was open during a disconnect and "
                        + "Kraken did not send it again; no row for that interval", at: now)
            }
        }
    }
}
