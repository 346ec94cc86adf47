/// The symbols a frame that could not be decoded names, found by a plain byte search for
/// `"symbol":"…"`. A group's shared connection carries many pairs: a truncated book frame still
/// starts with its symbol, so only that pair's book is resynced, not every pair's.
enum MalformedFrameSymbols {
    private static let key = Array(#""symbol":""#.utf8)
    /// Kraken's longest symbols are about 15 bytes; longer text is not a symbol.
    private static let longestSymbol = 40

    /// The distinct symbols named in `frame`, in order of appearance (empty when none is readable).
    static func named(in frame: UnsafeRawBufferPointer) -> [String] {
        let bytes = frame.bindMemory(to: UInt8.self)
        var symbols: [String] = []
        var index = 0
        while index + key.count <= bytes.count {
            guard matchesKey(bytes, at: index) else {
                index += 1
                continue
            }
            let start = index + key.count
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\""), end - start <= longestSymbol { end += 1 }
            if end < bytes.count, bytes[end] == UInt8(ascii: "\""), end > start, end - start <= longestSymbol {
                let symbol = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                if !symbols.contains(symbol) { symbols.append(symbol) }
            }
            index = end
        }
        return symbols
    }

    private static func matchesKey(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        for offset in 0..<key.count where bytes[index + offset] != key[offset] { return false }
        return true
    }
}
