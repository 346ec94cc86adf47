import BytebitCore
import Logging

/// Handing records to the sinks: the files first, then every other sink (each behind its own
/// queue, so none of them can hold up the files or the recorder).
extension MarketRecorder {
    /// The current book's row: with the files alone, written from the book in place (no
    /// `VerifiedBookTop` built: ~1,000 instructions per book row, issue 10); else as `emit(book:)`.
    func emitBook(timestamp: UTCTimestamp, receivedAt: UTCTimestamp, checksum: UInt32) {
        let levels = settings.market.levels
        guard otherSinks.isEmpty else {
            return emit(book: VerifiedBookTop(
                timestamp: timestamp, receivedAt: receivedAt, levels: levels, of: &book, checksum: checksum))
        }
        noteUnflushed(receivedAt)
        files.recordBook(timestamp: timestamp, receivedAt: receivedAt, levels: levels, of: &book)
    }

    /// `borrowing`: the book is the caller's temporary, handed to every sink where it is (as a
    /// `consuming` parameter it was copied, 288 bytes, into a variable and again per sink call).
    func emit(book: borrowing VerifiedBookTop) {
        noteUnflushed(book.receivedAt)
        guard !otherSinks.isEmpty else { return files.record(book: book) }
        // The outputs' JSON copies the levels' fragments the book rendered with their text
        // (`rendersLevelJSON`), and the file copies the levels' text as with files alone.
        guard book.carriesLevelJSON else { return emit(bookWithRowText: copy book) }
        files.record(book: book)
        for sink in otherSinks { sink.record(book: book) }
    }

    /// A book whose levels carry no JSON fragments (a number too long for a level's text): the
    /// row's text once for all, the file appends it, the outputs' JSON quotes it. `consuming`:
    /// its text is set without another copy of it.
    private func emit(bookWithRowText book: consuming VerifiedBookTop) {
        bookText.format(book, levels: settings.market.levels)
        book.text = bookText
        files.record(book: book)
        for sink in otherSinks { sink.record(book: book) }
    }

    func emit(trade: TradeRecord) {
        noteUnflushed(trade.receivedAt)
        files.record(trade: trade)
        for sink in otherSinks { sink.record(trade: trade) }
        klinesAdd(trade)
    }

    func emit(ticker: TickerRecord) {
        noteUnflushed(ticker.receivedAt)
        files.record(ticker: ticker)
        for sink in otherSinks { sink.record(ticker: ticker) }
    }

    func emit(candle: OHLCRecord, at now: UTCTimestamp) {
        noteUnflushed(now)
        files.record(candle: candle)
        for sink in otherSinks { sink.record(candle: candle) }
    }

    func emit(event: LedgerRecord) {
        noteUnflushed(event.timestamp)
        eventsSinceStatus = true
        files.record(event: event)
        for sink in otherSinks { sink.record(event: event) }
        klinesNote(event)
    }

    func emit(kline: KlineRecord) {
        noteUnflushed(kline.intervalBegin)
        files.record(kline: kline)
        for sink in otherSinks { sink.record(kline: kline) }
    }

    /// The batch's first record starts its hand-over deadline (`flushDelay`).
    @inline(__always)
    private func noteUnflushed(_ at: UTCTimestamp) {
        if unflushedSince == nil {
            unflushedSince = at.microseconds
            recordedSinceStatus = true
        }
    }

    func flushSinks() {
        unflushedSince = nil
        files.flush()
        for sink in otherSinks { sink.flush() }
        // An output that paused or resumed says so in the ledger (its rows reach every sink). The
        // reporting sinks as the status found them once (a cast per sink per tick cost more).
        for sink in statusSource.reportingSinks {
            for note in sink.takeLedgerNotes() { record(event: note.event, detail: note.detail) }
        }
    }

    /// The files first: their rows must not wait for another sink's close.
    func closeSinks() {
        // Candles whose interval and grace are over are final: written before the files close.
        writeDueCandles(at: clock.now())
        files.close()
        for sink in otherSinks {
            sink.close()
            if let queued = sink as? QueuedSink, queued.droppedCount > 0 {
                logger.warning("a sink could not keep up; records dropped", metadata: [
                    "sink": "\(queued.name)", "sink.dropped": "\(queued.droppedCount)",
                ])
            }
        }
    }
}
