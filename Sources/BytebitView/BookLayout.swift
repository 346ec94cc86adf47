import BytebitCore

/// The columns of an order book file with N levels a side (SPEC §4.1): timestamp, received_at, bids from
/// the deepest to the best, mid_price, asks from the best to the deepest.
public struct BookLayout: Sendable, Equatable {
    /// Price levels per side in the file.
    public let levels: Int

    public init(levels: Int) {
        self.levels = levels
    }

    /// Reads the layout from a header line; nil if it is not an order book header.
    init?(header fields: [String]) {
        guard let layout = StreamLayout(stream: .orderBook, headerCells: fields) else { return nil }
        self.init(levels: layout.levels)
    }

    /// Number of fields in a row.
    public var fieldCount: Int { 3 + 4 * levels }

    /// Index of the mid_price field.
    public var midIndex: Int { 2 + 2 * levels }

    /// Index of the quantity field of bid `level` (1 = best); the price follows it.
    public func bidQtyIndex(_ level: Int) -> Int { 2 + 2 * (levels - level) }

    /// Index of the quantity field of ask `level` (1 = best); the price follows it.
    public func askQtyIndex(_ level: Int) -> Int { midIndex + 1 + 2 * (level - 1) }

    /// The header fields SPEC §4.1 defines for this many levels.
    public var headerFields: [String] { OrderBookColumns.names(levels: levels) }
}
