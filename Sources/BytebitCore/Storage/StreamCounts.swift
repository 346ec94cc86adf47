/// A count per recorded stream (rows written, rows lost), keyed by the stream itself, so a new stream
/// needs no new index or array slot.
public struct StreamCounts: Sendable, Equatable {
    private var counts: [RecordedStream: Int] = [:]

    public init() {}

    public subscript(stream: RecordedStream) -> Int {
        get { counts[stream, default: 0] }
        set { counts[stream] = newValue }
    }

    /// The sum over all streams.
    public var total: Int { counts.values.reduce(0, +) }

    /// Adds every count of `other`.
    public mutating func add(_ other: StreamCounts) {
        for (stream, count) in other.counts { counts[stream, default: 0] += count }
    }
}
