/// The order book file's layout (SPEC §4.1): bids deepest → best, the mid price, asks best → deepest.
public enum OrderBookCSV {
    /// The header line (with its newline) for `levels` price levels per side.
    public static func header(levels: Int) -> [UInt8] {
        var names = ["timestamp", "received_at"]
        for level in stride(from: levels, through: 1, by: -1) {
            let ordinal = CSVOrdinal.name(ofLevel: level)
            names.append("\(ordinal)_bid_qty")
            names.append("\(ordinal)_bid_price")
        }
        names.append("mid_price")
        for level in stride(from: 1, through: levels, by: 1) {
            let ordinal = CSVOrdinal.name(ofLevel: level)
            names.append("\(ordinal)_ask_qty")
            names.append("\(ordinal)_ask_price")
        }
        return Array((names.joined(separator: ",") + "\n").utf8)
    }

    /// Appends one row (with its newline). `bids` and `asks` come best first; a side with fewer than
    /// `levels` levels leaves its deepest cells empty, and `mid_price` is empty when a side is empty.
    /// Numbers are printed as given (padding to the pair's precision is the caller's choice).
    public static func appendRow(
        to bytes: inout [UInt8],
        timestamp: UTCTimestamp,
        receivedAt: UTCTimestamp,
        bids: ArraySlice<PriceLevel>,
        asks: ArraySlice<PriceLevel>,
        levels: Int
    ) {
        CSVText.appendTimestamp(timestamp, to: &bytes)
        bytes.append(CSVText.comma)
        CSVText.appendTimestamp(receivedAt, to: &bytes)
        var depth = levels - 1
        while depth >= 0 {
            bytes.append(CSVText.comma)
            if depth < bids.count {
                let level = bids[bids.index(bids.startIndex, offsetBy: depth)]
                CSVText.appendDecimal(level.qty, to: &bytes)
                bytes.append(CSVText.comma)
                CSVText.appendDecimal(level.price, to: &bytes)
            } else {
                bytes.append(CSVText.comma)
            }
            depth -= 1
        }
        bytes.append(CSVText.comma)
        if let bestBid = bids.first, let bestAsk = asks.first, let mid = bestBid.price.midpoint(with: bestAsk.price) {
            CSVText.appendDecimal(mid, to: &bytes)
        }
        depth = 0
        while depth < levels {
            bytes.append(CSVText.comma)
            if depth < asks.count {
                let level = asks[asks.index(asks.startIndex, offsetBy: depth)]
                CSVText.appendDecimal(level.qty, to: &bytes)
                bytes.append(CSVText.comma)
                CSVText.appendDecimal(level.price, to: &bytes)
            } else {
                bytes.append(CSVText.comma)
            }
            depth += 1
        }
        bytes.append(CSVText.newline)
    }
}
