import Foundation

extension BytebitConfig {
    /// The effective settings as `bytebit check` prints them: global settings, then one table row per market.
    public var effectiveSettingsReport: String {
        var lines: [String] = []
        if let sourcePath { lines.append("config:          \(sourcePath)") }
        lines.append("data_dir:        \(dataDirectory)")
        lines.append("log_dir:         \(logDirectory)")
        lines.append("log_level:       \(logLevel.rawValue)")
        lines.append("flush_interval:  \(TimeSpan(microseconds: flushIntervalMicroseconds).configText)")
        lines.append("compress:        \(compressFinishedDays)")
        lines.append("kraken.url:      \(kraken.url)")
        lines.append("kraken.ca_file:  \(kraken.caFile ?? "(none: system CA store only)")")
        lines.append("")
        let header = ["pair", "kraken symbol", "depth", "levels", "mode", "interval", "orderbook", "trades"]
        let rows = markets.map { market -> [String] in
            let interval: String
            switch market.mode {
            case .update: interval = "-"
            case .interval(let microseconds): interval = TimeSpan(microseconds: microseconds).configText
            }
            return [market.pair.name, market.pair.krakenSymbol, "\(market.depth)", "\(market.levels)",
                    market.mode.name, interval, "\(market.recordsOrderBook)", "\(market.recordsTrades)"]
        }
        lines += Self.alignedColumns([header] + rows)
        lines.append("")
        lines.append("\(markets.count) market\(markets.count == 1 ? "" : "s"), configuration is valid")
        return lines.joined(separator: "\n")
    }

    /// Left-aligned columns two spaces apart, without trailing spaces.
    private static func alignedColumns(_ table: [[String]]) -> [String] {
        let columnCount = table.map(\.count).max() ?? 0
        let widths = (0..<columnCount).map { column in
            table.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
        }
        return table.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0)
            }.joined()
        }
    }
}
