/// One record's LiveMessage JSON, written at most once for all the outputs of a market that send it
/// (Redis and the live feed, behind `LiveMessageOutputs`): the first output that needs the record's
/// message writes it, the others copy the same bytes. Each output writing its own had every trade
/// written twice (~2.3k instructions each) and every book the feed sent too.
///
/// The bytes go into buffers of its own written through pointers (no zero fill of the room, no
/// closure to reserve it), kept from record to record: one for books, one for trades, so the last
/// book's message stays readable until the next book (`lastBook`: the live feed's kept book, sent
/// later without a copy of it per book). Used on the recorder's thread only; what `trade` returns
/// is valid until the next trade, what `book` returns until the next book.
public final class SharedLiveMessage {
    public let pair: String
    /// The pair's UTF-8, once (each message starts with it).
    private let pairBytes: UnsafeMutableBufferPointer<UInt8>
    /// Whether the pair needs no JSON escaping (a Kraken pair never does).
    private let isPlainPair: Bool
    /// The last book's message, and the last trade's.
    @exclusivity(unchecked) private var books = Bytes()
    @exclusivity(unchecked) private var trades = Bytes()
    /// Whether the current record's message is written (since the last `reset()`). Recorder's
    /// thread only: no run-time exclusivity checks per record.
    @exclusivity(unchecked) private var isCurrentWritten = false
    /// The trades' times' text to the second, from trade to trade.
    @exclusivity(unchecked) private var times = TimestampTextCache()
    /// The books' times' text to the second, from book to book.
    @exclusivity(unchecked) private var bookTimes = LiveMessage.BookTimesText()

    public init(pair: String) {
        self.pair = pair
        let utf8 = Array(pair.utf8)
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(utf8.count, 1))
        storage.initialize(from: utf8, count: utf8.count)
        pairBytes = UnsafeMutableBufferPointer(start: storage, count: utf8.count)
        isPlainPair = LiveMessage.isPlain(UnsafeBufferPointer(pairBytes))
    }

    deinit {
        books.deallocate()
        trades.deallocate()
        pairBytes.baseAddress?.deallocate()
    }

    /// A new record: the next `book` or `trade` writes its message.
    @inline(__always)
    public func reset() { isCurrentWritten = false }

    /// Whether the current record's message is written (an output may then copy it for free).
    public var isWritten: Bool { isCurrentWritten }

    /// The message of the last book written (by `book`): valid until the next book is.
    public var lastBook: UnsafeBufferPointer<UInt8> { books.message }

    /// The message of `top`, the current record (written at the first call after `reset()`).
    public func book(_ top: VerifiedBookTop) -> UnsafeBufferPointer<UInt8> {
        if !isCurrentWritten {
            isCurrentWritten = true
            let header = UnsafeBufferPointer(pairBytes)
            if isPlainPair, top.carriesLevelJSON {
                // The usual case: the levels' fragments, rendered in the book when they changed.
                books.length = LiveMessage.writeBook(
                    fragmentsOf: top, pair: header, times: &bookTimes,
                    at: books.reserve(LiveMessage.bookRoom(fragmentsOf: top, pair: header)))
            } else if let text = top.text, isPlainPair {
                books.length = LiveMessage.writeBook(
                    text, header: header, at: books.reserve(LiveMessage.bookRoom(text, header: header)))
            } else {
                books.copy(LiveMessage.book(pair: pair, top))
            }
        }
        return books.message
    }

    /// The message of `trade`, the current record (written at the first call after `reset()`).
    public func trade(_ trade: TradeRecord) -> UnsafeBufferPointer<UInt8> {
        if !isCurrentWritten {
            isCurrentWritten = true
            var side = trade.side
            var orderType = trade.orderType
            let pair = UnsafeBufferPointer(pairBytes)
            let written = isPlainPair && side.withUTF8 { side in
                orderType.withUTF8 { orderType in
                    guard LiveMessage.isPlain(side), LiveMessage.isPlain(orderType) else { return false }
                    let room = LiveMessage.tradeRoom(trade, pair: pair, side: side, orderType: orderType)
                    trades.length = LiveMessage.writeTrade(
                        trade, pair: pair, side: side, orderType: orderType, times: &times, at: trades.reserve(room))
                    return true
                }
            }
            if !written { trades.copy(LiveMessage.trade(pair: self.pair, trade)) }
        }
        return trades.message
    }

    /// One kind's last message, in a buffer kept from message to message.
    private struct Bytes {
        var base = UnsafeMutablePointer<UInt8>.allocate(capacity: 1024)
        var capacity = 1024
        var length = 0

        var message: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: length) }

        /// Room for `room` bytes at the start of the buffer.
        mutating func reserve(_ room: Int) -> UnsafeMutablePointer<UInt8> {
            if room > capacity {
                base.deallocate()
                capacity = max(room, capacity * 2)
                base = .allocate(capacity: capacity)
            }
            return base
        }

        mutating func copy(_ bytes: [UInt8]) {
            let target = reserve(bytes.count)
            bytes.withUnsafeBufferPointer { if let from = $0.baseAddress { target.update(from: from, count: $0.count) } }
            length = bytes.count
        }

        func deallocate() { base.deallocate() }
    }
}
