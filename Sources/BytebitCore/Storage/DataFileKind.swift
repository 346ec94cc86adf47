/// The three daily files of a pair, each in its own folder under `<data_dir>/<PAIR>/`.
public enum DataFileKind: Int, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case orderBook = 0
    case trades = 1
    case events = 2

    /// The folder under the pair's folder: `orderbook`, `trades`, `events`.
    public var folderName: String {
        switch self {
        case .orderBook: return "orderbook"
        case .trades: return "trades"
        case .events: return "events"
        }
    }

    /// The file name up to the date: `orderbook_data_`, `trade_data_`, `events_`.
    public var fileStem: String {
        switch self {
        case .orderBook: return "orderbook_data_"
        case .trades: return "trade_data_"
        case .events: return "events_"
        }
    }

    public var description: String { folderName }
}
