/// The levels one book update must carry so that a client holding `old` ends up with the market's
/// new top-`depth` window, with Kraken's semantics: a level deleted from the market while in the
/// window is sent with qty 0 and the next level from beyond the window is sent as an insert; a
/// level pushed out of the window by an insert is not deleted (the client truncates). Deletes come
/// first so clients that truncate after every level agree with clients that truncate per message.
enum BookWindowDiff {
    /// `old` and `window` best first; `market` answers whether a price still exists; `intermediate`
    /// prices are sent twice (that qty, then the final one).
    static func levels(
        from old: [SimLevel], to window: ArraySlice<SimLevel>, market: SimBookSide, intermediate: [Int64: Int64]
    ) -> [SimLevel] {
        var deletes: [SimLevel] = []
        var sets: [SimLevel] = []
        func emit(_ level: SimLevel) {
            if let qty = intermediate[level.price] { sets.append(SimLevel(price: level.price, qty: qty)) }
            sets.append(level)
        }
        func leaves(_ level: SimLevel) {
            // Still in the market: it fell behind the window, and the client truncates it itself.
            if !market.position(of: level.price).isPresent { deletes.append(SimLevel(price: level.price, qty: 0)) }
        }
        var oldIndex = old.startIndex
        var newIndex = window.startIndex
        while oldIndex < old.endIndex, newIndex < window.endIndex {
            let was = old[oldIndex]
            let now = window[newIndex]
            if was.price == now.price {
                if was.qty != now.qty || intermediate[now.price] != nil { emit(now) }
                oldIndex += 1
                newIndex += 1
            } else if market.ranks(was.price, before: now.price) {
                leaves(was)
                oldIndex += 1
            } else {
                emit(now)
                newIndex += 1
            }
        }
        for level in old[oldIndex...] { leaves(level) }
        for level in window[newIndex...] { emit(level) }
        return deletes + sets
    }
}
