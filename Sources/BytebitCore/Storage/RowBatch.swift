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
    /// Rows and bytes over `klines`, kept as they change: `byteCount` is read after every book row.
    private var klineRowCount = 0
    private var klineByteCount = 0

    public init(orderBookLevels: Int) {
        self.orderBookLevels = orderBookLevels
    }

    /// How many rows the batch holds.
    public var rowCount: Int { orderBook.count + trades.count + events.count + klineRowCount }
    /// How many bytes of CSV the batch holds.
    public var byteCount: Int { orderBook.bytes.count + trades.bytes.count + events.bytes.count + klineByteCount }
    public var isEmpty: Bool { rowCount == 0 }

    /// Appends an order book row; `bids` and `asks` best first (see `OrderBookCSV.appendRow`).
    public mutating func appendOrderBook(
        timestamp: UTCTimestamp, receivedAt: UTCTimestamp, bids: ArraySlice<PriceLevel>, asks: ArraySlice<PriceLevel>
    ) {
        OrderBookCSV.appendRow(
            to: &orderBook.bytes, timestamp: timestamp, receivedAt: receivedAt,
            bids: bids, asks: asks, levels: orderBookLevels)
        orderBook.mark(timestamp)
    }

    /// Appends a trade row.
    public mutating func appendTrade(
        timestamp: UTCTimestamp, receivedAt: UTCTimestamp, tradeID: UInt64,
        side: String, price: ExactDecimal, qty: ExactDecimal, orderType: String
    ) {
        TradeCSV.appendRow(
            to: &trades.bytes, timestamp: timestamp, receivedAt: receivedAt, tradeID: tradeID,
            side: side, price: price, qty: qty, orderType: orderType)
        trades.mark(timestamp)
    }

    /// Appends an events-ledger row.
    public mutating func appendEvent(timestamp: UTCTimestamp, event: String, detail: String) {
        EventCSV.appendRow(to: &events.bytes, timestamp: timestamp, event: event, detail: detail)
        events.mark(timestamp)
    }

    /// Appends a klines row (to its interval's file).
    public mutating func appendKline(_ kline: KlineRecord) {
        let index = kline.interval.index
        if klines.count <= index { klines += Array(repeating: Rows(), count: index + 1 - klines.count) }
        let before = klines[index].bytes.count
        KlineCSV.appendRow(kline, to: &klines[index].bytes)
        klines[index].mark(kline.intervalBegin)
        klineRowCount += 1
        klineByteCount += klines[index].bytes.count - before
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
        klineByteCount += other.klineByteCount
    }

    /// Empties the batch and keeps its memory for the next rows.
    public mutating func removeAll() {
        orderBook.removeAll()
        trades.removeAll()
        events.removeAll()
        for index in klines.indices { klines[index].removeAll() }
        klineRowCount = 0
        klineByteCount = 0
    }

    func rows(of kind: DataFileKind) -> Rows {
        switch kind {
        case .orderBook: return orderBook
        case .trades: return trades
        case .events: return events
        case .klines(let interval): return interval.index < klines.count ? klines[interval.index] : Rows()
        }
    }
}
