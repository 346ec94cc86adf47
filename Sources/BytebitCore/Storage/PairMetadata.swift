import Foundation

/// `<data_dir>/<PAIR>/pair.csv`: what a loader needs to type a pair's files, and since when. One row per
/// change: `since,price_precision,qty_precision,orderbook_levels`. Precisions come from Kraken's
/// `instrument` channel (prices and quantities in the files have exactly that many decimals), the levels
/// from the config (a changed `levels` also moves the order book to `orderbook/levels-N/`, see
/// `DailyFileName`). Rows are appended, never rewritten, like every other file bytebit writes.
public enum PairMetadata {
    public static let fileName = "pair.csv"
    public static let columns = ["since", "price_precision", "qty_precision", "orderbook_levels"]

    /// One row: the values in force from `since` on.
    public struct Entry: Sendable, Equatable {
        public var since: UTCTimestamp
        public var pricePrecision: Int
        public var qtyPrecision: Int
        public var orderBookLevels: Int

        public init(since: UTCTimestamp, pricePrecision: Int, qtyPrecision: Int, orderBookLevels: Int) {
            self.since = since
            self.pricePrecision = pricePrecision
            self.qtyPrecision = qtyPrecision
            self.orderBookLevels = orderBookLevels
        }

        func hasSameValues(as other: Entry) -> Bool {
            pricePrecision == other.pricePrecision && qtyPrecision == other.qtyPrecision
                && orderBookLevels == other.orderBookLevels
        }
    }

    public static func path(dataDirectory: String, pair: String) -> String {
        dataDirectory + "/" + pair + "/" + fileName
    }

    /// Appends `entry` unless the file's last row already has its values (a restart, or an `instrument`
    /// update that changed nothing). Creates the pair's folder and the file with its header if needed.
    /// Returns whether a row was written.
    @discardableResult
    public static func record(_ entry: Entry, dataDirectory: String, pair: String) throws -> Bool {
        if let last = try read(dataDirectory: dataDirectory, pair: pair).last, last.hasSameValues(as: entry) { return false }
        for folder in [dataDirectory, dataDirectory + "/" + pair] where mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw StorageError.cannotCreateFolder(path: folder, errno: errno)
        }
        let header = Array((columns.joined(separator: ",") + "\n").utf8)
        let (file, _) = try AppendOnlyFile.open(path: path(dataDirectory: dataDirectory, pair: pair), header: header)
        defer { file.close() }
        var row: [UInt8] = []
        entry.since.appendText(to: &row)
        row.append(contentsOf: Array(",\(entry.pricePrecision),\(entry.qtyPrecision),\(entry.orderBookLevels)\n".utf8))
        try row.withUnsafeBytes { try file.append($0) }
        return true
    }

    /// Every row of the pair's file, oldest first; empty when there is none. Lines that do not parse
    /// (a torn last line) are left out.
    public static func read(dataDirectory: String, pair: String) throws -> [Entry] {
        let path = path(dataDirectory: dataDirectory, pair: pair)
        guard let data = FileManager.default.contents(atPath: path) else {
            if access(path, F_OK) != 0 { return [] }
            throw StorageError.cannotRead(path: path, errno: errno)
        }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: true).dropFirst().compactMap { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == columns.count, let since = UTCTimestamp(String(cells[0])),
                  let price = Int(cells[1]), let qty = Int(cells[2]), let levels = Int(cells[3])
            else { return nil }
            return Entry(since: since, pricePrecision: price, qtyPrecision: qty, orderBookLevels: levels)
        }
    }
}
