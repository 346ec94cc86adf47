import BytebitCore

/// Why one row could not be read (carried to a `CorruptRow` with its position).
public struct RowDefect: Error, Equatable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}

extension CSVFields {
    /// The order book row in these fields, reading `levelsWanted` levels a side (the rest are only counted).
    func bookRow(layout: BookLayout, levelsWanted: Int) -> Result<BookRow, RowDefect> {
        guard count == layout.fieldCount else {
            return .failure(RowDefect(reason: "expected \(layout.fieldCount) fields, found \(count)"))
        }
        guard let stamp = timestamp(0) else { return .failure(RowDefect(reason: "bad timestamp \"\(text(0))\"")) }
        guard let receivedAt = timestamp(1) else {
            return .failure(RowDefect(reason: "bad received_at \"\(text(1))\""))
        }
        let wanted = min(max(levelsWanted, 1), layout.levels)
        var bids: [PriceLevel] = []
        var asks: [PriceLevel] = []
        bids.reserveCapacity(wanted)
        asks.reserveCapacity(wanted)
        for (side, qtyIndex) in [(0, layout.bidQtyIndex), (1, layout.askQtyIndex)] {
            for level in 1...wanted {
                let index = qtyIndex(level)
                if isEmpty(index), isEmpty(index + 1) { break }
                guard let qty = decimal(index), let price = decimal(index + 1) else {
                    return .failure(RowDefect(reason: "bad number in field \(index + 1) or \(index + 2)"))
                }
                let priceLevel = PriceLevel(price: price, qty: qty)
                if side == 0 { bids.append(priceLevel) } else { asks.append(priceLevel) }
            }
        }
        var mid: ExactDecimal?
        if !isEmpty(layout.midIndex) {
            guard let value = decimal(layout.midIndex) else {
                return .failure(RowDefect(reason: "bad mid_price \"\(text(layout.midIndex))\""))
            }
            mid = value
        }
        return .success(BookRow(timestamp: stamp, receivedAt: receivedAt, bids: bids, asks: asks, mid: mid))
    }

    /// The trade row in these fields.
    public func tradeRow() -> Result<TradeRow, RowDefect> {
        let expected = RecordedStream.trades.columns(levels: 0).count
        guard count == expected else {
            return .failure(RowDefect(reason: "expected \(expected) fields, found \(count)"))
        }
        guard let stamp = timestamp(0) else { return .failure(RowDefect(reason: "bad timestamp \"\(text(0))\"")) }
        guard let receivedAt = timestamp(1) else {
            return .failure(RowDefect(reason: "bad received_at \"\(text(1))\""))
        }
        guard let id = decimal(2), id.scale == 0 else {
            return .failure(RowDefect(reason: "bad trade_id \"\(text(2))\""))
        }
        let side: TradeSide
        switch text(3) {
        case "buy": side = .buy
        case "sell": side = .sell
        default: return .failure(RowDefect(reason: "bad side \"\(text(3))\" (expected buy or sell)"))
        }
        guard let price = decimal(4) else { return .failure(RowDefect(reason: "bad price \"\(text(4))\"")) }
        guard let qty = decimal(5) else { return .failure(RowDefect(reason: "bad qty \"\(text(5))\"")) }
        return .success(TradeRow(
            timestamp: stamp, receivedAt: receivedAt, tradeID: id.units, side: side,
            price: price, qty: qty, orderType: text(6)
        ))
    }

    /// Checks a book row cheaply for CSV output; see `BookLineCheck`.
    func bookRowDefect(layout: BookLayout) -> RowDefect? {
        BookLineCheck.defect(in: line, layout: layout)
    }
}

/// Parses an events ledger line.
func eventRow(_ line: UnsafeBufferPointer<UInt8>) -> Result<EventRow, RowDefect> {
    let fields = CSVFields.quotedFields(of: line)
    guard fields.count >= 2 else { return .failure(RowDefect(reason: "expected 3 fields, found \(fields.count)")) }
    guard let timestamp = UTCTimestamp(fields[0]) else {
        return .failure(RowDefect(reason: "bad timestamp \"\(fields[0])\""))
    }
    // An unquoted detail with commas still belongs to the detail.
    let detail = fields.count > 2 ? fields[2...].joined(separator: ",") : ""
    return .success(EventRow(timestamp: timestamp, event: fields[1].trimmingSpaces, detail: detail))
}

extension String {
    /// The text without surrounding spaces (a ledger written as `a, b` by hand still reads).
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
