/// Parses the rows of a trades file (`timestamp,received_at,trade_id,side,price,qty,ord_type`) into
/// builder trades without allocating per row: offline `bytebit klines` is bound by this loop.
enum KlineTradeRows {
    /// Calls `body` for each trade row until it returns false; returns how many rows did not parse
    /// (the header is not counted).
    static func forEach(in bytes: [UInt8], _ body: (KlineBuilder.Trade) -> Bool) -> Int {
        var corrupt = 0
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count
            var start = 0
            while start < count {
                var end = start
                while end < count, base[end] != CSVText.newline { end += 1 }
                // A last line without its newline is torn: left out like a reader leaves it.
                guard end < count else {
                    corrupt += 1
                    break
                }
                let line = UnsafeBufferPointer(start: base + start, count: end - start)
                start = end + 1
                if line.first == UInt8(ascii: "t") { continue }  // the header
                guard let trade = parse(line) else {
                    corrupt += 1
                    continue
                }
                if !body(trade) { return }
            }
        }
        return corrupt
    }

    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> KlineBuilder.Trade? {
        var cells: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)
        var found = 0
        for index in 0..<line.count where line[index] == CSVText.comma {
            switch found {
            case 0: cells.0 = index
            case 1: cells.1 = index
            case 2: cells.2 = index
            case 3: cells.3 = index
            case 4: cells.4 = index
            case 5: cells.5 = index
            default: return nil
            }
            found += 1
        }
        guard found == 6,
              let timestamp = UTCTimestamp(fixedText: UnsafeBufferPointer(rebasing: line[0..<cells.0])),
              let receivedAt = UTCTimestamp(fixedText: UnsafeBufferPointer(rebasing: line[(cells.0 + 1)..<cells.1])),
              let tradeID = unsigned(UnsafeBufferPointer(rebasing: line[(cells.1 + 1)..<cells.2])),
              let price = ExactDecimal(ascii: UnsafeBufferPointer(rebasing: line[(cells.3 + 1)..<cells.4])),
              let qty = ExactDecimal(ascii: UnsafeBufferPointer(rebasing: line[(cells.4 + 1)..<cells.5]))
        else { return nil }
        return KlineBuilder.Trade(timestamp: timestamp, receivedAt: receivedAt, tradeID: tradeID, price: price, qty: qty)
    }

    private static func unsigned(_ text: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard !text.isEmpty, text.count <= 19 else { return nil }
        var value: UInt64 = 0
        for byte in text {
            let digit = byte &- UInt8(ascii: "0")
            guard digit <= 9 else { return nil }
            value = value &* 10 &+ UInt64(digit)
        }
        return value
    }
}

extension UTCTimestamp {
    /// Parses the exact shape bytebit writes (`2026-11-21T23:59:59.123456Z`) without allocating; any
    /// other RFC 3339 shape goes through `init?(rfc3339:)`.
    init?(fixedText text: UnsafeBufferPointer<UInt8>) {
        guard text.count == 27, text[4] == 0x2D, text[7] == 0x2D, text[10] == 0x54, text[13] == 0x3A,
              text[16] == 0x3A, text[19] == 0x2E, text[26] == 0x5A
        else {
            self.init(rfc3339: text)
            return
        }
        var valid = true
        func number(_ from: Int, _ to: Int) -> Int64 {
            var value: Int64 = 0
            for index in from..<to {
                let digit = text[index] &- 0x30
                if digit > 9 { valid = false }
                value = value &* 10 &+ Int64(digit)
            }
            return value
        }
        let year = number(0, 4), month = number(5, 7), day = number(8, 10)
        let hour = number(11, 13), minute = number(14, 16), second = number(17, 19), micros = number(20, 26)
        guard valid, month >= 1, month <= 12, day >= 1, day <= 31, hour < 24, minute < 60, second < 61 else { return nil }
        if day > 28 {
            let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            let length: Int64 = month == 2 ? (isLeap ? 29 : 28) : ([4, 6, 9, 11].contains(month) ? 30 : 31)
            if day > length { return nil }
        }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        self.init(microsecondsSince1970: (((days * 24 + hour) * 60 + minute) * 60 + second) * Self.microsecondsPerSecond + micros)
    }
}
