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
        lines.append("kraken.pairs_per_connection: \(kraken.pairsPerConnection)")
        if let allMarkets {
            let quotes = allMarkets.quotes.isEmpty ? "any" : allMarkets.quotes.joined(separator: ", ")
            let excluded = allMarkets.excluded.isEmpty ? "none" : allMarkets.excluded.map(\.name).joined(separator: ", ")
            lines.append("all_markets:     quote \(quotes); exclude \(excluded) "
                + "(pairs come from Kraken's instrument channel at run time, with the defaults)")
        }
        lines += outputsReport
        lines.append("")
        // Candles and the ticker/ohlc columns appear once any market records them (SPEC §10).
        let showsKlines = markets.contains { !$0.klines.isEmpty }
        let showsChannels = markets.contains { $0.recordsTicker || !$0.ohlcIntervals.isEmpty }
        let header = ["pair", "kraken symbol", "depth", "levels", "mode", "interval", "orderbook", "trades"]
            + (showsKlines ? ["klines"] : []) + (showsChannels ? ["ticker", "ohlc"] : [])
        let rows = markets.map { market -> [String] in
            let interval: String
            switch market.mode {
            case .update: interval = "-"
            case .interval(let microseconds): interval = TimeSpan(microseconds: microseconds).configText
            }
            let ohlc = market.ohlcIntervals.isEmpty ? "-" : market.ohlcIntervals.map(\.rawValue).joined(separator: ",")
            return [market.pair.name, market.pair.krakenSymbol, "\(market.depth)", "\(market.levels)",
                    market.mode.name, interval, "\(market.recordsOrderBook)", "\(market.recordsTrades)"]
                + (showsKlines ? [market.klines.isEmpty ? "-" : market.klines.map(\.rawValue).joined(separator: ",")] : [])
                + (showsChannels ? ["\(market.recordsTicker)", ohlc] : [])
        }
        lines += Self.alignedColumns([header] + rows)
        lines.append("")
        lines += groupingReport
        if let warning = connectionBudgetWarning { lines += ["warning: " + warning, ""] }
        lines.append("\(markets.count) market\(markets.count == 1 ? "" : "s"), configuration is valid")
        return lines.joined(separator: "\n")
    }

    /// The outputs beside the files, passwords redacted.
    private var outputsReport: [String] {
        var lines: [String] = []
        lines.append("postgres:        \(postgres.map { $0.url.redacted } ?? "(off)")")
        lines.append("redis:           \(redis.map { $0.url.redacted } ?? "(off)")")
        if let live {
            lines.append("live:            \(live.baseURL)/v1/stream (token in \(live.tokenFile))")
        } else {
            lines.append("live:            (off)")
        }
        return lines
    }

    /// One line per collector when markets share connections; nothing when each market has its own.
    private var groupingReport: [String] {
        let groups = groups(for: markets)
        guard groups.contains(where: { $0.pairs.count > 1 }) else { return [] }
        var lines = ["\(groups.count) collectors (connections) for \(markets.count) markets:"]
        lines += groups.map { "  \($0.name) (\($0.pairs.count)): \($0.pairs.map(\.name).joined(separator: " "))" }
        lines.append("")
        return lines
    }

    /// When the configured markets need more connections than the shared budget allows in one
    /// window (`pairs_per_connection: 1` with hundreds of pairs, say), the rest wait for it at every
    /// start and blip: valid, but not what a user asking for those pairs expects.
    public var connectionBudgetWarning: String? {
        let connections = groups(for: markets).count
        let budget = ConnectionLedger.defaultLimit
        guard connections > budget else { return nil }
        let minutes = (connections - 1) / budget * 10
        return "\(connections) connections, more than the \(budget) connection attempts bytebit allows itself "
            + "per 10 minutes (Kraken bans an IP past about 150): the last collectors wait about \(minutes) minutes "
            + "to connect, at the start and after every blip; kraken.pairs_per_connection: auto (or a larger "
            + "number) shares connections"
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
