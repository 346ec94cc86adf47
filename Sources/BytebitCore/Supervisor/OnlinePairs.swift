import Foundation

/// The pairs Kraken lists as online, as the instrument watcher follows them and writes them to
/// `<run>/instruments.json` for the supervisor (one JSON array of pair names, sorted).
public struct OnlinePairs: Sendable, Equatable {
    /// The online pairs.
    public private(set) var pairs: Set<MarketPair> = []
    /// Whether a snapshot has arrived (before it, the set is unknown rather than empty).
    public private(set) var hasSnapshot = false

    /// An empty set, waiting for the snapshot.
    public init() {}

    /// Applies an `instrument` message: a snapshot replaces the set, an update adds pairs that are
    /// `online` and removes those with any other status (delisted, maintenance, …). Symbols that are
    /// not valid pair names are returned, so the watcher can log them instead of losing them silently.
    /// Returns whether the set changed.
    @discardableResult
    public mutating func apply(_ message: KrakenInstrumentMessage, unreadable: inout [String]) -> Bool {
        let before = pairs
        let isFirstSnapshot = message.isSnapshot && !hasSnapshot
        if message.isSnapshot {
            pairs = []
            hasSnapshot = true
        }
        for listed in message.pairs {
            guard let pair = MarketPair(krakenSymbol: listed.symbol) else {
                unreadable.append(listed.symbol)
                continue
            }
            if listed.status == "online" { pairs.insert(pair) } else { pairs.remove(pair) }
        }
        return pairs != before || isFirstSnapshot
    }

    /// The file's bytes: the sorted names as a JSON array.
    public var fileBytes: [UInt8] {
        let names = pairs.sorted().map { "\"\($0.name)\"" }
        return Array(("[" + names.joined(separator: ",") + "]\n").utf8)
    }

    /// Writes the file atomically (a reader sees the old or the new list, never half of one).
    public func write(to path: String) throws(SupervisorError) {
        try AtomicFile.write(fileBytes, to: path)
    }

    /// Reads a file written by `write(to:)`; names that are not valid pairs are an error.
    public static func read(from path: String) throws(SupervisorError) -> [MarketPair] {
        let data = try AtomicFile.read(path)
        guard let names = try? JSONDecoder().decode([String].self, from: data) else {
            throw .cannotRead(path: path, reason: "not a JSON array of pair names")
        }
        var result: [MarketPair] = []
        for name in names {
            guard let pair = MarketPair(parsing: name) else {
                throw .cannotRead(path: path, reason: "\(name) is not a pair name")
            }
            result.append(pair)
        }
        return result
    }
}
