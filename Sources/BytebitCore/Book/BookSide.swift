/// One side of an L2 book, best level first, kept sorted in a gap buffer: the levels sit in the
/// middle of a larger array with free slots on both ends, so an insert or delete moves only the
/// levels between it and the nearer end. Kraken's changes cluster at the top of the book, so at
/// depth 1000 a change near the best price moves a handful of levels, not a thousand — and the
/// levels stay contiguous, so readers get a best-first `ArraySlice` without copying.
struct BookSide: Sendable {
    /// True for bids (highest price first), false for asks (lowest price first).
    let isDescending: Bool
    private var storage: ContiguousArray<PriceLevel>
    private var start: Int
    private var end: Int
    /// Each level's rendered text (`LevelText`), at the same index as its level in `storage`:
    /// rendered when first needed after the level changed, moved with it by inserts and deletes.
    /// With `rendersJSON`, twice as many: after the levels' slots, each level's JSON fragment
    /// (`LevelJSONFragment`) in a slot of its own, `fragmentPlane` slots after its text. In the
    /// same buffer, so a top's text slice keeps its fragments alive and copying a top costs no
    /// reference count more (a second array cost ~250 instructions a book in copies of the top).
    private var texts: ContiguousArray<LevelText>
    /// How many slots after a level's text its JSON fragment is (the levels' slot count); 0 while
    /// the side renders no fragments (files alone: nothing more is moved or rendered).
    private(set) var fragmentPlane = 0
    /// Running CRC after each of the top levels, started from `crcSeed` (`crcCount` are valid).
    private var crcEnds: [UInt32] = Array(repeating: 0, count: BookChecksum.levelsPerSide)
    private var crcCount = 0
    /// The CRC this side continued from last time (the asks' CRC for the bids side).
    private var crcSeed: UInt32 = 0
    /// Levels from here on changed (moved, replaced, removed) since their CRC was computed.
    private var firstStaleLevel = 0
    /// The best this many levels have rendered text that fits (no need to look at them again).
    private var renderedCount = 0

    private static let filler = PriceLevel(
        price: ExactDecimal(units: 0, scale: 0), qty: ExactDecimal(units: 0, scale: 0))

    init(isDescending: Bool, expectedCount: Int) {
        self.isDescending = isDescending
        // Room for the window twice over; the buffer grows if a message ever needs more.
        let capacity = 2 * min(max(expectedCount, 8), 1 << 20) + 32
        storage = ContiguousArray(repeating: Self.filler, count: capacity)
        texts = ContiguousArray(repeating: LevelText.empty, count: capacity)
        start = capacity / 2
        end = start
    }

    /// Best first.
    var levels: ArraySlice<PriceLevel> { storage[start..<end] }

    var count: Int { end - start }

    /// True when `lhs` ranks before `rhs` (is the better price) on this side.
    @inline(__always)
    private func ranksBefore(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> Bool {
        isDescending ? rhs < lhs : lhs < rhs
    }

    /// Index (from the best level) where `price` is or would go, and whether it is there.
    private func position(of price: ExactDecimal) -> (index: Int, isPresent: Bool) {
        var low = start
        var high = end
        while low < high {
            let middle = (low + high) / 2
            if ranksBefore(storage[middle].price, price) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return (low - start, low < end && storage[low].price == price)
    }

    /// Sets the quantity at `level.price` (inserting the level if new); never adds quantities.
    mutating func set(_ level: PriceLevel) {
        let (index, isPresent) = position(of: level.price)
        firstStaleLevel = min(firstStaleLevel, index)
        renderedCount = min(renderedCount, index)
        if isPresent {
            storage[start + index] = level
            invalidateText(at: start + index)
        } else {
            insert(level, at: index)
        }
    }

    /// Removes the level at `price`; a price not in the book is ignored (it may have been truncated).
    mutating func remove(price: ExactDecimal) {
        let (index, isPresent) = position(of: price)
        if isPresent {
            firstStaleLevel = min(firstStaleLevel, index)
            renderedCount = min(renderedCount, index)
            remove(at: index)
        }
    }

    /// Keeps the best `depth` levels.
    mutating func truncate(to depth: Int) {
        if count > depth { end = start + max(depth, 0) }
        renderedCount = min(renderedCount, count)
    }

    mutating func removeAll() {
        start = storage.count / 2
        end = start
        firstStaleLevel = 0
        renderedCount = 0
    }

    /// Whether each level's JSON fragment is rendered with its text (the market has outputs).
    var rendersJSON: Bool { fragmentPlane > 0 }

    /// Starts (or stops) rendering each level's JSON fragment with its text. The texts start
    /// anew (rendered again at their next use), so no rendered text lacks its fragment.
    mutating func setRendersJSON(_ renders: Bool) {
        guard renders != rendersJSON else { return }
        fragmentPlane = renders ? storage.count : 0
        texts = ContiguousArray(repeating: LevelText.empty, count: storage.count + fragmentPlane)
        renderedCount = 0
    }

    /// Rewrites every level in place (e.g. padding to a new precision; order must not change).
    mutating func transformLevels(_ transform: (PriceLevel) -> PriceLevel) {
        for index in start..<end {
            storage[index] = transform(storage[index])
            invalidateText(at: index)
        }
        firstStaleLevel = 0
        renderedCount = 0
    }

    /// Continues the running CRC `seed` over this side's top levels (Kraken's checksum digits,
    /// stored in each level's `LevelText`). Levels above the first one changed since the last call
    /// keep their running CRC when the seed is the same, so an update deep in the book, or low in
    /// the top 10, costs little or nothing here.
    mutating func continueChecksum(_ seed: UInt32, pricePrecision: Int8, qtyPrecision: Int8) -> UInt32 {
        let levelCount = min(count, BookChecksum.levelsPerSide)
        let reusable = seed == crcSeed ? min(firstStaleLevel, crcCount, levelCount) : 0
        firstStaleLevel = BookChecksum.levelsPerSide
        crcSeed = seed
        crcCount = levelCount
        if reusable == levelCount { return levelCount == 0 ? seed : crcEnds[levelCount - 1] }
        renderTexts(count: levelCount, pricePrecision: pricePrecision, qtyPrecision: qtyPrecision)
        let first = start
        return texts.withUnsafeBufferPointer { texts -> UInt32 in
            crcEnds.withUnsafeMutableBufferPointer { ends -> UInt32 in
                guard let base = texts.baseAddress else { return seed }
                var crc = reusable == 0 ? seed : ends[reusable - 1]
                for index in reusable..<levelCount {
                    let text = UnsafeRawPointer(base + first + index)
                    crc = BookChecksum.crc(
                        crc, (text + LevelText.digitsOffset).assumingMemoryBound(to: UInt8.self),
                        count: LevelText.digitCount(at: text))
                    ends[index] = crc
                }
                return crc
            }
        }
    }

    /// The rendered text of the best `count` levels (rendering the ones that changed), or nil when
    /// one of them does not fit a `LevelText` (the row is then formatted from the levels).
    mutating func text(count wanted: Int, pricePrecision: Int8, qtyPrecision: Int8) -> ArraySlice<LevelText>? {
        let count = min(wanted, self.count)
        guard renderTexts(count: count, pricePrecision: pricePrecision, qtyPrecision: qtyPrecision) else { return nil }
        return texts[start..<start + count]
    }

    /// Renders the best `count` levels' texts that are not rendered (as `text(count:)` does);
    /// false when one of them does not fit.
    @inline(__always)
    mutating func renderTop(count wanted: Int, pricePrecision: Int8, qtyPrecision: Int8) -> Bool {
        renderTexts(count: min(wanted, count), pricePrecision: pricePrecision, qtyPrecision: qtyPrecision)
    }

    /// Calls `body` with the best `count` bids and asks and, when `withTexts` (both rendered by
    /// `renderTop` and fitting), their texts, in place: no slice made, retained or released. Both
    /// sides are parameters, not captured by a closure: a closure reading the book copied each
    /// side whole (three retains and releases per side per row).
    @inline(__always)
    static func withTops<Result>(
        bids: BookSide, asks: BookSide, count wanted: Int, withTexts: Bool,
        _ body: (
            UnsafeBufferPointer<PriceLevel>, UnsafeBufferPointer<PriceLevel>, UnsafePointer<LevelText>?,
            UnsafePointer<LevelText>?
        ) -> Result
    ) -> Result {
        let (bidStart, bidEnd) = (bids.start, bids.start + min(wanted, bids.count))
        let (askStart, askEnd) = (asks.start, asks.start + min(wanted, asks.count))
        return bids.storage.withUnsafeBufferPointer { bidLevels in
            bids.texts.withUnsafeBufferPointer { bidTexts in
                asks.storage.withUnsafeBufferPointer { askLevels in
                    asks.texts.withUnsafeBufferPointer { askTexts in
                        body(
                            UnsafeBufferPointer(rebasing: bidLevels[bidStart..<bidEnd]),
                            UnsafeBufferPointer(rebasing: askLevels[askStart..<askEnd]),
                            withTexts ? bidTexts.baseAddress.map { $0 + bidStart } : nil,
                            withTexts ? askTexts.baseAddress.map { $0 + askStart } : nil)
                    }
                }
            }
        }
    }

    /// Renders the texts (and their JSON fragments, with `rendersJSON`) of the best `count` levels
    /// that are not rendered; false when one of them does not fit.
    @discardableResult
    private mutating func renderTexts(count: Int, pricePrecision: Int8, qtyPrecision: Int8) -> Bool {
        let from = min(renderedCount, count)
        guard from < count else { return true }
        let first = start
        let levels = storage
        let plane = fragmentPlane
        let allFit = texts.withUnsafeMutableBufferPointer { texts -> Bool in
            guard let base = texts.baseAddress else { return true }
            var allFit = true
            for index in first + from..<first + count {
                let text = UnsafeMutableRawPointer(base + index)
                if !LevelText.isRendered(at: text) {
                    LevelText.render(levels[index], pricePrecision: pricePrecision, qtyPrecision: qtyPrecision, at: text)
                    if plane > 0, LevelText.fits(at: text) {
                        LevelJSONFragment.render(fromText: text, at: UnsafeMutableRawPointer(base + index + plane))
                    }
                }
                allFit = allFit && LevelText.fits(at: text)
            }
            return allFit
        }
        if allFit { renderedCount = count }
        return allFit
    }

    @inline(__always)
    private mutating func invalidateText(at index: Int) {
        texts.withUnsafeMutableBufferPointer { texts in
            if let base = texts.baseAddress { LevelText.invalidate(at: UnsafeMutableRawPointer(base + index)) }
        }
    }

    private mutating func insert(_ level: PriceLevel, at index: Int) {
        if index < count - index {
            // Nearer the best end: shift the better levels one slot towards the front.
            if start == 0 { recenter(minimumCapacity: 2 * count + 32) }
            shift(from: start, count: index, by: -1)
            start -= 1
            storage[start + index] = level
            invalidateText(at: start + index)
        } else {
            if end == storage.count { recenter(minimumCapacity: 2 * count + 32) }
            let absolute = start + index
            shift(from: absolute, count: end - absolute, by: 1)
            end += 1
            storage[absolute] = level
            invalidateText(at: absolute)
        }
    }

    private mutating func remove(at index: Int) {
        let absolute = start + index
        if index < count - index - 1 {
            shift(from: start, count: index, by: 1)
            start += 1
        } else {
            shift(from: absolute + 1, count: end - absolute - 1, by: -1)
            end -= 1
        }
    }

    /// Moves `count` levels (and their texts) starting at `from` by `distance` slots (ranges may overlap).
    private mutating func shift(from: Int, count: Int, by distance: Int) {
        guard count > 0 else { return }
        Self.move(&storage, from: from, count: count, by: distance)
        Self.move(&texts, from: from, count: count, by: distance)
        if fragmentPlane > 0 { Self.move(&texts, from: fragmentPlane + from, count: count, by: distance) }
    }

    @inline(__always)
    private static func move<Element: BitwiseCopyable>(
        _ array: inout ContiguousArray<Element>, from: Int, count: Int, by distance: Int
    ) {
        array.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // A trivial type: a raw overlapping move is exact.
            UnsafeMutableRawPointer(base + from + distance).copyMemory(
                from: UnsafeRawPointer(base + from), byteCount: count * MemoryLayout<Element>.stride)
        }
    }

    /// Re-lays the levels out in the middle of a buffer of at least `minimumCapacity` slots, so both
    /// ends have free slots again (in place when the buffer is big enough).
    private mutating func recenter(minimumCapacity: Int) {
        let capacity = max(minimumCapacity, storage.count)
        let newStart = (capacity - count) / 2
        if capacity == storage.count {
            shift(from: start, count: count, by: newStart - start)
        } else {
            var fresh = ContiguousArray(repeating: Self.filler, count: capacity)
            let freshPlane = fragmentPlane > 0 ? capacity : 0
            var freshTexts = ContiguousArray(repeating: LevelText.empty, count: capacity + freshPlane)
            for offset in 0..<count {
                fresh[newStart + offset] = storage[start + offset]
                freshTexts[newStart + offset] = texts[start + offset]
                if freshPlane > 0 { freshTexts[freshPlane + newStart + offset] = texts[fragmentPlane + start + offset] }
            }
            storage = fresh
            texts = freshTexts
            fragmentPlane = freshPlane
        }
        end = newStart + count
        start = newStart
    }
}
