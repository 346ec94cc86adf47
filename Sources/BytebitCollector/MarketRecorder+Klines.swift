import BytebitCore
import Logging

/// Candles built live from the trades this recorder writes (SPEC §10), with the same `KlineBuilder`
/// that `bytebit klines` runs over the files: every input the builder gets here is also a row in the
/// files, at the instant the row records.
extension MarketRecorder {
    /// The builder for a market with `klines:`, continuing from the day's files (nil: no candles).
    static func makeKlineBuilder(settings: RecorderSettings, now: UTCTimestamp, logger: Logger) -> KlineBuilder? {
        let intervals = settings.market.klines
        guard !intervals.isEmpty, settings.market.recordsTrades else { return nil }
        do {
            return try KlineRebuild.continuing(
                intervals: intervals, dataDirectory: settings.config.dataDirectory, pair: settings.market.pair.name,
                now: now)
        } catch {
            // The open candles cannot be rebuilt: start afresh; the restart gap marks them incomplete.
            logger.warning("cannot rebuild the open candles from the day's files", metadata: ["error": "\(error)"])
            return KlineBuilder(intervals: intervals)
        }
    }

    /// An admitted trade (after de-duplication), as it goes to the trades file.
    func klinesAdd(_ trade: TradeRecord) {
        guard var builder = klines else { return }
        klines = nil  // no copy-on-write of the builder's arrays while it is changed
        let lateBefore = builder.lateTradeCount
        builder.add(KlineBuilder.Trade(
            timestamp: trade.timestamp, receivedAt: trade.receivedAt, tradeID: trade.tradeID, price: trade.price,
            qty: trade.qty))
        if builder.lateTradeCount != lateBefore {
            logger.info("a late trade cannot change a written candle; left out", metadata: [
                "trade_id": "\(trade.tradeID)", "timestamp": "\(trade.timestamp)",
                "klines.late_trades": "\(builder.lateTradeCount)",
            ])
        }
        klines = builder
        emitFinishedKlines()
    }

    /// A ledger row: the ones that open a gap in the trade feed mark the open candles.
    func klinesNote(_ event: LedgerRecord) {
        guard klines != nil, KlineHistory.opensTradeGap(event.event) else { return }
        if event.event == .started {
            klines?.noteRestart(at: event.timestamp)
        } else {
            klines?.noteGap(at: event.timestamp)
        }
        emitFinishedKlines()
    }

    /// Kraken's instrument data: the precision vwap is rounded to.
    func klinesSetPricePrecision(_ precision: Int, at instant: UTCTimestamp) {
        guard klines != nil else { return }
        klines?.setPricePrecision(precision, at: instant)
        emitFinishedKlines()
    }

    /// The tick: candles 5 s past their end are written even when no later trade came.
    func klinesAdvance(to now: UTCTimestamp) {
        guard let due = klines?.nextDueInstant, due <= now else { return }
        klines?.advance(to: now)
        emitFinishedKlines()
    }

    func emitFinishedKlines() {
        guard klines?.hasFinished == true, let finished = klines?.takeFinished() else { return }
        for kline in finished { emit(kline: kline) }
    }
}
