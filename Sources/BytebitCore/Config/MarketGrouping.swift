/// Splits the recorded markets into collectors (SPEC §7) so that a change of one market changes
/// at most the group that carries it: each pair goes to a bucket chosen by a stable hash of its
/// name, and the bucket count does not follow small changes of the market count. A reload then
/// restarts only the collector whose group changed.
public enum MarketGrouping {
    /// With `auto`, up to this many markets keep one collector each (the process-per-market model).
    public static let autoSingleLimit = 20
    /// With `auto` above `autoSingleLimit` markets, the fixed number of buckets (connections): 8
    /// carry Kraken's 672 pairs at 60–100 each, well under its 200 symbols per connection. A
    /// connection per ~27 pairs (25 buckets) made the floor most of the tree's 2% budget: each message
    /// woke a sleeping process of its own, and 25 bare clients alone used 1.2–1.8% of a core against
    /// 0.9–1.5% for 8 (`bytebit-bench tree-floor`; the tree 4.1–4.3% against 2.5–3.5%, issue 10).
    /// 4 buckets would save a little more but put one hash bucket at 198 of 200 pairs.
    public static let autoBucketCount = 8

    /// The groups for `pairs` under `setting`, sorted by name.
    public static func groups(for pairs: [MarketPair], setting: PairsPerConnection) -> [MarketGroup] {
        let unique = Array(Set(pairs)).sorted()
        switch setting {
        case .auto where unique.count <= autoSingleLimit, .fixed(1):
            return unique.map { MarketGroup(name: $0.name, pairs: [$0]) }
        case .auto:
            return bucketed(unique, bucketCount: autoBucketCount, maximumSize: PairsPerConnection.allowed.upperBound)
        case .fixed(let size):
            return bucketed(unique, bucketCount: bucketCount(markets: unique.count, size: size), maximumSize: size)
        }
    }

    /// For `.fixed(size)`: buckets for twice `markets` (so few overflow `size`) rounded up to a power
    /// of two, so the count changes only when the market count crosses a power-of-two boundary.
    static func bucketCount(markets: Int, size: Int) -> Int {
        let needed = max(1, (2 * markets + size - 1) / max(1, size))
        var count = 1
        while count < needed { count *= 2 }
        return count
    }

    /// Hash buckets; a bucket over `maximumSize` is split into runs of its sorted pairs, which
    /// keeps a change inside that bucket.
    static func bucketed(_ pairs: [MarketPair], bucketCount: Int, maximumSize: Int) -> [MarketGroup] {
        var buckets: [Int: [MarketPair]] = [:]
        for pair in pairs {
            buckets[bucket(of: pair, count: bucketCount), default: []].append(pair)
        }
        let width = String(bucketCount - 1).count
        var groups: [MarketGroup] = []
        for (index, members) in buckets.sorted(by: { $0.key < $1.key }) {
            let digits = String(index)
            let base = "group-" + String(repeating: "0", count: max(0, width - digits.count)) + digits
            let runs = stride(from: 0, to: members.count, by: maximumSize).map {
                Array(members[$0..<min($0 + maximumSize, members.count)])
            }
            for (part, run) in runs.enumerated() {
                groups.append(MarketGroup(name: runs.count == 1 ? base : "\(base).\(part + 1)", pairs: run))
            }
        }
        return groups
    }

    /// The bucket of `pair`: FNV-1a (64 bit) of its name, which, unlike `Hasher`, is the same in
    /// every process and every run.
    static func bucket(of pair: MarketPair, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in pair.name.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(max(1, count)))
    }
}
