/// One record's LiveMessage JSON, written at most once for all the outputs of a market that send it
/// (Redis and the live feed, behind `LiveMessageOutputs`): the first output that needs the record's
/// message writes it, the others copy the same bytes. Each output writing its own had every trade
/// written twice (~2.3k instructions each) and every book the feed sent too.
///
/// The bytes go into a buffer of its own written through pointers (no zero fill of the room, no
/// closure to reserve it), kept from record to record. Used on the recorder's thread only; what
/// `book` and `trade` return is valid until the next `reset()` and must be copied to be kept.
public final class SharedLiveMessage {
    public let pair: String
    /// The pair's UTF-8, once (each message starts with it).
    private let pairBytes: UnsafeMutableBufferPointer<UInt8>
    /// Whether the pair needs no JSON escaping (a Kraken pair never does).
    private let isPlainPair: Bool
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The message's length; negative until it is written for the current record.
    private var length = -1
    /// The trades' times' text to the second, from trade to trade.
    @exclusivity(unchecked) private var times = TimestampTextCache()

    public init(pair: String) {
        self.pair = pair
        let utf8 = Array(pair.utf8)
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(utf8.count, 1))
        storage.initialize(from: utf8, count: utf8.count)
        pairBytes = UnsafeMutableBufferPointer(start: storage, count: utf8.count)
        isPlainPair = LiveMessage.isPlain(UnsafeBufferPointer(pairBytes))
        capacity = 1024
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deallocate()
        pairBytes.baseAddress?.deallocate()
    }

    /// A new record: the next `book` or `trade` writes its message.
    @inline(__always)
    public func reset() { length = -1 }

    /// Whether the current record's message is written (an output may then copy it for free).
    public var isWritten: Bool { length >= 0 }

    /// The message of `top`, the current record (written at the first call after `reset()`).
    public func book(_ top: VerifiedBookTop) -> UnsafeBufferPointer<UInt8> {
        if length < 0 {
            if let text = top.text, isPlainPair {
                let header = UnsafeBufferPointer(pairBytes)
                length = LiveMessage.writeBook(text, header: header, at: reserve(LiveMessage.bookRoom(text, header: header)))
            } else {
                copy(LiveMessage.book(pair: pair, top))
            }
        }
        return UnsafeBufferPointer(start: base, count: length)
    }

    /// The message of `trade`, the current record (written at the first call after `reset()`).
    public func trade(_ trade: TradeRecord) -> UnsafeBufferPointer<UInt8> {
        if length < 0 {
            var side = trade.side
            var orderType = trade.orderType
            let pair = UnsafeBufferPointer(pairBytes)
            let written = isPlainPair && side.withUTF8 { side in
                orderType.withUTF8 { orderType in
                    guard LiveMessage.isPlain(side), LiveMessage.isPlain(orderType) else { return false }
                    let room = LiveMessage.tradeRoom(trade, pair: pair, side: side, orderType: orderType)
                    length = LiveMessage.writeTrade(
                        trade, pair: pair, side: side, orderType: orderType, times: &times, at: reserve(room))
                    return true
                }
            }
            if !written { copy(LiveMessage.trade(pair: self.pair, trade)) }
        }
        return UnsafeBufferPointer(start: base, count: length)
    }

    /// Room for `room` bytes at the start of the buffer.
    private func reserve(_ room: Int) -> UnsafeMutablePointer<UInt8> {
        if room > capacity {
            base.deallocate()
            capacity = max(room, capacity * 2)
            base = .allocate(capacity: capacity)
        }
        return base
    }

    private func copy(_ bytes: [UInt8]) {
        let target = reserve(bytes.count)
        bytes.withUnsafeBufferPointer { if let from = $0.baseAddress { target.update(from: from, count: $0.count) } }
        length = bytes.count
    }
}
