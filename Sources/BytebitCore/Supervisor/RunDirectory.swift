/// The folder where a running `bytebit run` keeps its live state, next to the log file:
/// `<log_dir>/run/state.json`, `<log_dir>/run/markets/<PAIR>.json` (a market alone on its collector),
/// `<log_dir>/run/collectors/<GROUP>.json` (a collector carrying several markets),
/// `<log_dir>/run/connect-ledger`, `<log_dir>/run/config.yaml`.
public struct RunDirectory: Sendable, Equatable {
    /// The folder itself.
    public let path: String

    /// The run folder of the configuration whose log folder is `logDirectory`.
    public init(logDirectory: String) {
        path = logDirectory.hasSuffix("/") ? "\(logDirectory)run" : "\(logDirectory)/run"
    }

    /// The supervisor's state file.
    public var stateFile: String { "\(path)/state.json" }
    /// The folder of the status files of markets alone on their collector.
    public var marketsDirectory: String { "\(path)/markets" }
    /// The folder of the status files of collectors carrying several markets (one file each).
    public var collectorsDirectory: String { "\(path)/collectors" }
    /// The validated configuration the collectors are started with (`ConfigSnapshot`).
    public var configSnapshot: String { "\(path)/config.yaml" }
    /// The online pairs the instrument watcher keeps (`all_markets`), a JSON array of names.
    public var instrumentsFile: String { "\(path)/instruments.json" }
    /// The connection ledger all collectors share.
    public var connectionLedger: String { "\(path)/connect-ledger" }
    /// The folder of the service children's status files (loader, live feed).
    public var servicesDirectory: String { "\(path)/services" }
    /// The Unix socket the live feed server listens on and the collectors send their rows to.
    public var liveSocket: String { "\(path)/live.sock" }

    /// The status file of the service child `name` (`loader`, `live`).
    public func serviceStatusFile(_ name: String) -> String {
        "\(servicesDirectory)/\(name).json"
    }

    /// The status file of one market's collector.
    public func statusFile(for pair: MarketPair) -> String {
        "\(marketsDirectory)/\(pair.name).json"
    }

    /// The status file of the collector `name` carrying `pairs`: the group's one file when it carries
    /// several, else its market's (`CollectorStatusFile` reads either).
    public func statusFile(collector name: String, pairs: [String]) -> String {
        pairs.count > 1 || pairs.isEmpty ? "\(collectorsDirectory)/\(name).json" : "\(marketsDirectory)/\(pairs[0]).json"
    }
}
