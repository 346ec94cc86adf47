/// The group's parts by Kraken symbol: every book and trade frame finds its market here. An
/// open-addressing table hashed with FNV-1a over the symbol's bytes instead of a `[String: Int]`:
/// the dictionary's `Hasher` (SipHash over the normalized string) was ~340 instructions a lookup
/// (issue 10, callgrind of a 100-market group); a symbol is a few ASCII bytes.
struct GroupSymbolIndex {
    /// By slot: the symbol there and its part's index (-1: an empty slot).
    private var symbols: [String]
    private var indices: [Int]
    private let mask: Int

    /// `symbols[i]` is part `i`'s; a symbol given twice finds its last part (as a dictionary built
    /// in order would).
    init(_ partSymbols: [String]) {
        var size = 8
        while size < partSymbols.count * 2 { size <<= 1 }
        symbols = Array(repeating: "", count: size)
        indices = Array(repeating: -1, count: size)
        mask = size - 1
        for (index, symbol) in partSymbols.enumerated() {
            var slot = Self.hash(symbol) & mask
            while indices[slot] >= 0, symbols[slot] != symbol { slot = (slot + 1) & mask }
            symbols[slot] = symbol
            indices[slot] = index
        }
    }

    /// The index of the part carrying `symbol`; nil: none does.
    func index(of symbol: String) -> Int? {
        var slot = Self.hash(symbol) & mask
        while indices[slot] >= 0 {
            if symbols[slot] == symbol { return indices[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    static func hash(_ symbol: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in symbol.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }
}
