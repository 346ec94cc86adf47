/// Finds the known key a mistyped one most likely meant, for "did you mean …?" hints.
enum KeySuggestion {
    /// The closest of `candidates` to `key`, or nil when none is within two edits
    /// (after ignoring case and treating `-` like `_`, so `data-dir` suggests `data_dir`).
    static func closest(to key: String, among candidates: [String]) -> String? {
        let wanted = normalised(key)
        let scored = candidates.map { (candidate: $0, distance: editDistance(wanted, normalised($0))) }
        guard let best = scored.min(by: { $0.distance < $1.distance }) else { return nil }
        let limit = wanted.count <= 3 ? 1 : 2
        return best.distance <= limit ? best.candidate : nil
    }

    private static func normalised(_ key: String) -> [Character] {
        Array(key.lowercased().map { $0 == "-" ? "_" : $0 })
    }

    /// Levenshtein distance with one rolling row.
    private static func editDistance(_ lhs: [Character], _ rhs: [Character]) -> Int {
        guard !lhs.isEmpty else { return rhs.count }
        guard !rhs.isEmpty else { return lhs.count }
        var previous = Array(0...rhs.count)
        for (i, left) in lhs.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: rhs.count)
            for (j, right) in rhs.enumerated() {
                let substitution = previous[j] + (left == right ? 0 : 1)
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, substitution)
            }
            previous = current
        }
        return previous[rhs.count]
    }
}
