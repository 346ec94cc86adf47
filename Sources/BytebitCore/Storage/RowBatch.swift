/// Formatted rows on their way to the files: the producer (the WebSocket thread) appends rows here with
/// no lock, then hands the whole batch to `RecordWriter.submit(_:)` under one lock.
public struct RowBatch: Sendable {
    /// The rows of one file kind: their bytes back to back, where each row ends, and each row's time.
    struct Rows: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var times: [Int64] = []

        var count: Int { ends.count }

        mutating func mark(_ timestamp: UTCTimestamp) {
            ends.append(bytes.count)
            times.append(timestamp.microseconds)
        }

        mutating func append(contentsOf other: Rows) {
            let offset = bytes.count
            bytes.append(contentsOf: other.bytes)
            ends.append(contentsOf: other.ends.lazy.map { $0 + offset })
            times.append(contentsOf: other.times)
        }

        mutating func removeAll() {
            bytes.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            times.removeAll(keepingCapacity: true)
        }

        /// The byte range of row `index`.
        func range(ofRow index: Int) -> Range<Int> {
            (index == 0 ? 0 : ends[index - 1])..<ends[index]
        }
    }

    /// Price levels per side in each order book row (the market's `levels`).
    public let orderBookLevels: Int
    var orderBook = Rows()
    var trades = Rows()
    var events = Rows()
    /// One run of rows per kline interval, indexed by `KlineInterval.index`.
    var klines: [Rows] = []
    /// Rows over `klines`, kept as they change.
    private var klineRowCount = 0
    var ticker = Rows()
    /// Kraken's candles per interval (rare: a row a minute at most per interval).
    var ohlc: [OHLCInterval: Rows] = [:]
    /// Copies book rows from the book's rendered level text (its scratch buffer and timestamp text).
    private var rowWriter = OrderBookRowWriter()
    /// Writes trade rows in place (`TradeCSV.appendRow`'s bytes) with its own timestamp text.
    private var tradeRowWriter = TradeRowWriter()

    public init(orderBookLevels: Int) {
        self.orderBookLevels = orderBookLevels
    }

    /// How many rows the batch holds.
    public var rowCount: Int {
        orderBook.count + trades.count + events.count + ticker.count + klineRowCount
            + (ohlc.isEmpty ? 0 : ohlc.values.reduce(0) { $0 + $1.count })
    }
    /// How many bytes of CSV the batch holds. Stored, not summed: it is asked after every book row,
    /// and a computed property read through the sink's stored batch copied the whole batch each time.
    public private(set) var byteCount = 0
    public var isEmpty: Bool { rowCount == 0 }

    /// Appends the order book row of a verified book: its shared text when the recorder formatted
    /// it for the outputs too (`VerifiedBookTop.text`, the same bytes), else copied from the book's
    /// level text (`VerifiedBookTop.levelText`), else formatted here.
    ///
    /// The texts are read through `book` (`book.text!`, `book.levelText!`), not bound with `if let`:
    /// a binding copied them (a retain and a release per slice, then a generic destroy of the
    /// optional, ~120 instructions per book row; issue 10, callgrind).
    public mutating func appendOrderBook(_ book: VerifiedBookTop) {
        if book.text != nil, book.text!.levels == orderBookLevels {
            orderBook.bytes.append(contentsOf: book.text!.rowBytes)
            orderBook.mark(book.timestamp)
            byteCount += book.text!.rowLength
            return
        }
        guard book.levelText != nil, book.levelText!.covers(levels: orderBookLevels, bids: book.bids, asks: book.asks)
        else {
            return appendOrderBook(timestamp: book.timestamp, receivedAt: book.receivedAt, bids: book.bids, asks: book.asks)
        }
        let before = orderBook.bytes.count
        var unmarked = UnmarkedLevels()
        rowWriter.appendRow(
            to: &orderBook.bytes, timestamp: book.timestamp, receivedAt: book.receivedAt, bids: book.bids,
            asks: book.asks, text: book.levelText!, levels: orderBookLevels, marking: &unmarked)
        orderBook.mark(book.timestamp)
        byteCount += orderBook.bytes.count - before
    }

    /// Appends the row of `book`'s best `levels` bids and asks, read from the book in place: the
    /// bytes `appendOrderBook(VerifiedBookTop(timestamp:receivedAt:levels:of:checksum:))` writes,
    /// for a recorder whose files are its only sink. Building that top per book row (an outlined
    /// copy and two destroys of it, a copy of its level text, retains and releases of its slices)
    /// cost ~1,000 instructions per book row (issue 10, callgrind).
    public mutating func appendOrderBook(
        timestamp: UTCTimestamp, receivedAt: UTCTimestamp, levels: Int, of book: inout OrderBook
    ) {
        let before = orderBook.bytes.count
        let rowLevels = orderBookLevels
        // The texts are rendered for the same levels the row prints from (`levels`), so they
        // cover them; only a level whose text does not fit sends the row to the formatter.
        let copied = book.withTopText(levels: levels) { bids, asks, bidTexts, askTexts -> Bool in
            guard let bidTexts, let askTexts else { return false }
            let mid = bids.first.flatMap { bid in asks.first.flatMap { bid.price.midpoint(with: $0.price) } }
            var unmarked = UnmarkedLevels()
            rowWriter.appendRow(
                to: &orderBook.bytes, timestamp: timestamp, receivedAt: receivedAt, mid: mid,
                bidCount: min(rowLevels, bids.count), askCount: min(rowLevels, asks.count), bidTexts: bidTexts,
                askTexts: askTexts, levels: rowLevels, marking: &unmarked)
            return true
        }
        guard copied else {
            return appendOrderBook(
                timestamp: timestamp, receivedAt: receivedAt, bids: book.bids.prefix(levels), asks: book.asks.prefix(levels))
        }
        orderBook.mark(timestamp)
        byteCount += orderBook.bytes.count - before
    }

    /// Appends an order book row; `bids` and `asks` best first (see `OrderBookCSV.appendRow`).
    public mutating func appendOrderBook(
        timestamp: UTCTimestamp, receivedAt: UTCTimestamp, bids: ArraySlice<PriceLevel>, asks: ArraySlice<PriceLevel>
    ) {
        let before = orderBook.bytes.count
        OrderBookCSV.appendRow(
            to: &orderBook.bytes, timestamp: timestamp, receivedAt: receivedAt,
            bids: bids, asks: asks, levels: orderBookLevels)
        orderBook.mark(timestamp)
        byteCount += orderBook.bytes.count - before
    }

    /// Appends a trade row (`TradeCSV.appendRow`'s bytes, written by `TradeRowWriter`).
    public mutating func appendTrade(
        timestamp: UTCTimestamp, receivedAt: UTCTimestamp, tradeID: UInt64,
        side: String, price: ExactDecimal, qty: ExactDecimal, orderType: String
    ) {
        let before = trades.bytes.count
        tradeRowWriter.appendRow(
            to: &trades.bytes, timestamp: timestamp, receivedAt: receivedAt, tradeID: tradeID,
            side: side, price: price, qty: qty, orderType: orderType)
        trades.mark(timestamp)
        byteCount += trades.bytes.count - before
    }

    /// Appends an events-ledger row.
    public mutating func appendEvent(timestamp: UTCTimestamp, event: String, detail: String) {
        let before = events.bytes.count
        EventCSV.appendRow(to: &events.bytes, timestamp: timestamp, event: event, detail: detail)
        events.mark(timestamp)
        byteCount += events.bytes.count - before
    }

    /// Appends a ticker row.
    public mutating func appendTicker(_ ticker: TickerRecord) {
        let before = self.ticker.bytes.count
        TickerCSV.appendRow(to: &self.ticker.bytes, ticker)
        self.ticker.mark(ticker.timestamp)
        byteCount += self.ticker.bytes.count - before
    }

    /// Appends a row of Kraken's candles at `candle.interval`; its day is the interval's start.
    public mutating func appendCandle(_ candle: OHLCRecord) {
        var rows = ohlc.removeValue(forKey: candle.interval) ?? Rows()
        let before = rows.bytes.count
        OHLCCSV.appendRow(to: &rows.bytes, candle)
        rows.mark(candle.intervalBegin)
        byteCount += rows.bytes.count - before
        ohlc[candle.interval] = rows
    }

    /// Appends a klines row (to its interval's file).
    public mutating func appendKline(_ kline: KlineRecord) {
        let index = kline.interval.index
        if klines.count <= index { klines += Array(repeating: Rows(), count: index + 1 - klines.count) }
        let before = klines[index].bytes.count
        KlineCSV.appendRow(kline, to: &klines[index].bytes)
        klines[index].mark(kline.intervalBegin)
        klineRowCount += 1
        byteCount += klines[index].bytes.count - before
    }

    /// Moves every row of `other` behind this batch's rows.
    mutating func append(contentsOf other: RowBatch) {
        orderBook.append(contentsOf: other.orderBook)
        trades.append(contentsOf: other.trades)
        events.append(contentsOf: other.events)
        if klines.count < other.klines.count {
            klines += Array(repeating: Rows(), count: other.klines.count - klines.count)
        }
        for index in other.klines.indices { klines[index].append(contentsOf: other.klines[index]) }
        klineRowCount += other.klineRowCount
        ticker.append(contentsOf: other.ticker)
        for (interval, rows) in other.ohlc { ohlc[interval, default: Rows()].append(contentsOf: rows) }
        byteCount += other.byteCount
    }

    /// Empties the batch and keeps its memory for the next rows.
    public mutating func removeAll() {
        orderBook.removeAll()
        trades.removeAll()
        events.removeAll()
        for index in klines.indices { klines[index].removeAll() }
        klineRowCount = 0
        ticker.removeAll()
        if !ohlc.isEmpty { ohlc.removeAll() }
        byteCount = 0
    }

    func rows(of kind: DataFileKind) -> Rows {
        switch kind {
        case .orderBook: return orderBook
        case .trades: return trades
        case .events: return events
        case .klines(let interval): return interval.index < klines.count ? klines[interval.index] : Rows()
        case .ticker: return ticker
        case .ohlc(let interval): return ohlc[interval] ?? Rows()
        }
    }
}
