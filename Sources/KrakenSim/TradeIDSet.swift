/// The trade ids already written to the truth, as merged ranges: ids arrive almost in order, so a
/// day of trades costs a handful of ranges instead of a million set entries.
struct TradeIDSet {
    private var ranges: [ClosedRange<Int64>] = []

    /// Adds `id`; false if it was already there.
    mutating func insert(_ id: Int64) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < id { low = middle + 1 } else { high = middle }
        }
        if low < ranges.count, ranges[low].contains(id) { return false }
        let joinsPrevious = low > 0 && ranges[low - 1].upperBound == id - 1
        let joinsNext = low < ranges.count && ranges[low].lowerBound == id + 1
        switch (joinsPrevious, joinsNext) {
        case (true, true):
            ranges[low - 1] = ranges[low - 1].lowerBound...ranges[low].upperBound
            ranges.remove(at: low)
        case (true, false):
            ranges[low - 1] = ranges[low - 1].lowerBound...id
        case (false, true):
            ranges[low] = id...ranges[low].upperBound
        case (false, false):
            ranges.insert(id...id, at: low)
        }
        return true
    }
}
