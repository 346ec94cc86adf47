import BytebitCore

/// The three daily files a collector writes per pair (SPEC §4).
public enum RecordKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case orderbook
    case trades
    case events

    /// The folder under `data/PAIR/`.
    public var folder: String {
        switch self {
        case .orderbook: return "orderbook"
        case .trades: return "trades"
        case .events: return "events"
        }
    }

    /// The file name before the date: `orderbook_data_`, `trade_data_`, `events_`.
    public var filePrefix: String {
        switch self {
        case .orderbook: return "orderbook_data_"
        case .trades: return "trade_data_"
        case .events: return "events_"
        }
    }

    public var description: String { folder }
}
