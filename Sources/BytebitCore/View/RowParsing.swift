/// Why one row could not be read (carried to a `CorruptRow` with its position).
struct RowDefect: Error, Equatable {
    var reason: String
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
    func tradeRow() -> Result<TradeRow, RowDefect> {
        guard count == TradeLayout.headerFields.count else {
            return .failure(RowDefect(reason: "expected \(TradeLayout.headerFields.count) fields, found \(count)"))
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

/// Checks an order book line without splitting it or building decimals (the CSV pass-through path, where
/// this is most of the work): field count, both timestamps, and every other cell empty or decimal text
/// (digits with at most one inner point and an optional leading minus).
enum BookLineCheck {
    private static let digit: UInt8 = 1, point: UInt8 = 2, comma: UInt8 = 3, minus: UInt8 = 4
    private static let classes: [UInt8] = (0...255).map { byte in
        switch byte {
        case 0x30...0x39: return digit
        case 0x2E: return point
        case 0x2C: return comma
        case 0x2D: return minus
        default: return 0
        }
    }

    static func defect(in line: UnsafeBufferPointer<UInt8>, layout: BookLayout) -> RowDefect? {
        guard let base = line.baseAddress else { return RowDefect(reason: "empty line") }
        let end = line.count
        guard let firstComma = line.firstIndex(of: 0x2C),
              let secondComma = line[(firstComma + 1)...].firstIndex(of: 0x2C)
        else { return countDefect(in: line, layout: layout) }
        guard FastTimestamp.parse(UnsafeBufferPointer(rebasing: line[0..<firstComma])) != nil else {
            return RowDefect(reason: "bad timestamp \"\(text(line, 0, firstComma))\"")
        }
        guard FastTimestamp.parse(UnsafeBufferPointer(rebasing: line[(firstComma + 1)..<secondComma])) != nil else {
            return RowDefect(reason: "bad received_at \"\(text(line, firstComma + 1, secondComma))\"")
        }
        var fields = 3
        var fieldStart = secondComma + 1
        var points = 0
        var index = fieldStart
        var isBad = false
        classes.withUnsafeBufferPointer { table in
            while index < end {
                let kind = table[Int(base[index])]
                if kind == digit {
                    index += 1
                    continue
                }
                if kind == comma {
                    if index > fieldStart, table[Int(base[index - 1])] != digit { isBad = true; return }
                    fields += 1
                    fieldStart = index + 1
                    points = 0
                } else if kind == point {
                    points += 1
                    if points > 1 || index == fieldStart { isBad = true; return }
                } else if kind != minus || index != fieldStart {
                    isBad = true
                    return
                }
                index += 1
            }
            if end > fieldStart, table[Int(base[end - 1])] != digit { isBad = true }
        }
        if isBad {
            let fieldEnd = line[min(index, end)...].firstIndex(of: 0x2C) ?? end
            let start = index >= end ? fieldStart : fieldStart
            return RowDefect(reason: "bad number \"\(text(line, start, fieldEnd))\" in field \(fields)")
        }
        guard fields == layout.fieldCount else {
            return RowDefect(reason: "expected \(layout.fieldCount) fields, found \(fields)")
        }
        return nil
    }

    private static func countDefect(in line: UnsafeBufferPointer<UInt8>, layout: BookLayout) -> RowDefect {
        let fields = line.reduce(1) { $0 + ($1 == 0x2C ? 1 : 0) }
        return RowDefect(reason: "expected \(layout.fieldCount) fields, found \(fields)")
    }

    private static func text(_ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: line[start..<max(start, end)]), as: UTF8.self)
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
