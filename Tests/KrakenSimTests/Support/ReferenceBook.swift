import CZlib

/// The test's own L2 book, written from Kraken's documented rules and independent of BytebitCore's
/// book and checksum code: prices and quantities stay the exact text the simulator sent.
struct ReferenceBook {
    typealias Level = (price: String, qty: String)

    let depth: Int
    /// Best first. The key is the price's digits as an integer (all prices of a pair share one scale).
    private var bids: [(key: Int64, level: Level)] = []
    private var asks: [(key: Int64, level: Level)] = []
    /// Levels the book had to drop when truncating to depth: the server never deletes them.
    private(set) var truncatedLevels = 0

    init(depth: Int) {
        self.depth = depth
    }

    /// Replace on snapshot, otherwise apply in array order (qty 0 deletes), then truncate to depth.
    mutating func apply(_ data: RawJSON, isSnapshot: Bool) {
        if isSnapshot {
            bids = []
            asks = []
        }
        for level in data["bids"]?.array ?? [] { Self.apply(level, to: &bids, isBid: true) }
        for level in data["asks"]?.array ?? [] { Self.apply(level, to: &asks, isBid: false) }
        truncatedLevels += max(0, bids.count - depth) + max(0, asks.count - depth)
        if bids.count > depth { bids.removeLast(bids.count - depth) }
        if asks.count > depth { asks.removeLast(asks.count - depth) }
    }

    private static func apply(_ level: RawJSON, to side: inout [(key: Int64, level: Level)], isBid: Bool) {
        guard let price = level["price"]?.number, let qty = level["qty"]?.number, let key = Int64(digits(price)) else {
            return
        }
        // First index whose price is not better than `key`.
        var low = 0
        var high = side.count
        while low < high {
            let middle = (low + high) / 2
            let isBetter = isBid ? side[middle].key > key : side[middle].key < key
            if isBetter { low = middle + 1 } else { high = middle }
        }
        let exists = low < side.count && side[low].key == key
        if Int64(digits(qty)) == 0 {
            if exists { side.remove(at: low) }
        } else if exists {
            side[low].level = (price, qty)
        } else {
            side.insert((key, (price, qty)), at: low)
        }
    }

    /// Best (highest) first.
    var bidLevels: [Level] { bids.map(\.level) }

    /// Best (lowest) first.
    var askLevels: [Level] { asks.map(\.level) }

    /// Kraken's CRC32: top-10 asks ascending, then top-10 bids descending; each price then qty with
    /// the point and leading zeros removed; zlib's crc32.
    var checksum: UInt32 {
        Self.checksum(asks: asks.prefix(10).map(\.level), bids: bids.prefix(10).map(\.level))
    }

    static func checksum(asks: [Level], bids: [Level]) -> UInt32 {
        var text = ""
        for level in asks.prefix(10) + bids.prefix(10) { text += stripped(level.price) + stripped(level.qty) }
        let bytes = Array(text.utf8)
        return UInt32(truncatingIfNeeded: bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) })
    }

    private static func digits(_ text: String) -> String {
        text.filter { $0 != "." }
    }

    private static func stripped(_ text: String) -> String {
        String(digits(text).drop { $0 == "0" })
    }
}

/// Whether a number token is plain decimal text with exactly `digits` fraction digits (trailing
/// zeros included, integer text for 0, never an exponent).
func isPrinted(_ token: String, withFractionDigits digits: Int) -> Bool {
    guard !token.isEmpty, token.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else { return false }
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    if digits == 0 { return parts.count == 1 }
    return parts.count == 2 && !parts[0].isEmpty && parts[1].count == digits
}
