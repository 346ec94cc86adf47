/// The validated configuration written back out as YAML, every setting explicit and every path
/// absolute, to `<run_dir>/config.yaml`. Collectors are started on this copy, so one that restarts
/// after a crash reads the configuration the supervisor runs, not an edited file that was never
/// reloaded (or was rejected on reload).
public enum ConfigSnapshot {
    /// The YAML text of `config`; `ConfigLoader.parse` with the same `environment` reads it back to
    /// an equal configuration.
    public static func yaml(for config: BytebitConfig, environment: [String: String] = [:]) -> String {
        var lines = [
            "# Written by bytebit run from \(config.sourcePath ?? "its configuration"); edit that file, not this copy.",
            "data_dir: \(quoted(config.dataDirectory))",
            "log_dir: \(quoted(config.logDirectory))",
            "log_level: \(config.logLevel.rawValue)",
            "flush_interval: \(TimeSpan(microseconds: config.flushIntervalMicroseconds).configText)",
            "compress: \(config.compressFinishedDays)",
            "kraken:",
            "  url: \(quoted(config.kraken.url))",
        ]
        if let caFile = config.kraken.caFile { lines.append("  ca_file: \(quoted(caFile))") }
        lines.append("  pairs_per_connection: \(config.kraken.pairsPerConnection)")
        // The defaults are what a pair recorded through `all_markets` gets.
        lines.append("defaults:")
        lines += settings(of: config.defaultMarket, indent: "  ")
        if let allMarkets = config.allMarkets {
            lines.append("all_markets:")
            lines.append("  quote: [\(allMarkets.quotes.joined(separator: ", "))]")
            lines.append("  exclude: [\(allMarkets.excluded.map(\.name).joined(separator: ", "))]")
        }
        lines += outputs(of: config, environment: environment)
        if !config.markets.isEmpty { lines.append("markets:") }
        for market in config.markets {
            lines.append("  - pair: \(market.pair.name)")
            lines += settings(of: market, indent: "    ")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every setting of `market` as YAML lines.
    private static func settings(of market: MarketConfig, indent: String) -> [String] {
        var lines = [
            "\(indent)depth: \(market.depth)",
            "\(indent)levels: \(market.levels)",
            "\(indent)mode: \(market.mode.name)",
            "\(indent)orderbook: \(market.recordsOrderBook)",
            "\(indent)trades: \(market.recordsTrades)",
        ]
        if case .interval(let microseconds) = market.mode {
            lines.append("\(indent)interval: \(TimeSpan(microseconds: microseconds).configText)")
        }
        lines.append("\(indent)klines: [\(market.klines.map(\.rawValue).joined(separator: ", "))]")
        lines.append("\(indent)ticker: \(market.recordsTicker)")
        lines.append("\(indent)ohlc: [\(market.ohlcIntervals.map(\.rawValue).joined(separator: ", "))]")
        return lines
    }

    /// The outputs' sections. A URL exactly as the environment gives it (`DATABASE_URL`,
    /// `REDIS_URL`) is left out: the children inherit the variable, and a secret kept in the
    /// environment is not written to a file.
    private static func outputs(of config: BytebitConfig, environment: [String: String]) -> [String] {
        var lines: [String] = []
        if let postgres = config.postgres, environment["DATABASE_URL"] != postgres.url.text {
            lines += ["postgres:", "  url: \(quoted(postgres.url.text))"]
        }
        if let redis = config.redis, environment["REDIS_URL"] != redis.url.text {
            lines += ["redis:", "  url: \(quoted(redis.url.text))"]
        }
        if let live = config.live {
            let host = live.host.contains(":") ? "[\(live.host)]" : live.host
            lines += ["live:", "  listen: \(quoted("\(host):\(live.port)"))", "  token_file: \(quoted(live.tokenFile))"]
            if let cert = live.tlsCert { lines.append("  tls_cert: \(quoted(cert))") }
            if let key = live.tlsKey { lines.append("  tls_key: \(quoted(key))") }
        }
        return lines
    }

    /// A YAML double-quoted scalar: JSON's string escapes are valid YAML ones.
    static func quoted(_ text: String) -> String {
        JSONString.quoted(text)
    }

    /// Writes the snapshot of `config` (loaded with `environment`, which the children inherit) to
    /// `path` and checks that it reads back to the same settings. Returns false (and leaves nothing
    /// to trust) when it does not, so the caller can fall back. Mode 0600: an output's URL may hold
    /// a password, as the user's own file does.
    public static func write(
        _ config: BytebitConfig, to path: String, environment: [String: String] = [:]
    ) throws(SupervisorError) -> Bool {
        let text = yaml(for: config, environment: environment)
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        guard var readBack = try? ConfigLoader.parse(
            text: text, fileName: path, directory: directory, environment: environment)
        else {
            return false
        }
        readBack.sourcePath = config.sourcePath
        guard readBack == config else { return false }
        try AtomicFile.write(Array(text.utf8), to: path, mode: 0o600)
        return true
    }
}
