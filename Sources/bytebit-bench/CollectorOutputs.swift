import Foundation

/// The outputs a benchmarked `collector` runs with beside its files: Redis (its config's `redis`
/// section) and the live feed (`--live-socket`). Files alone is `CollectorOutputs()`.
struct CollectorOutputs {
    var redisURL: String?
    var liveSocket: String?

    /// The config lines that turn Redis on (empty without it).
    var configSection: String { redisURL.map { "redis:\n  url: \($0)\n" } ?? "" }

    /// Writes `config.yaml` into `folder` for one BTC-USD market against `url` with these outputs;
    /// returns its path (the receive and instruction benchmarks run the same collector setup).
    func writeConfig(in folder: URL, url: String, caFile: String? = nil, depth: Int, levels: Int) throws -> String {
        let caLine = caFile.map { "\n  ca_file: \($0)" } ?? ""
        let config = """
            data_dir: \(folder.path)/data
            log_dir: \(folder.path)/logs
            log_level: notice
            kraken:
              url: \(url)\(caLine)
            defaults:
              depth: \(depth)
              levels: \(levels)
            markets:
              - BTC-USD
            \(configSection)
            """
        let path = folder.appendingPathComponent("config.yaml").path
        try Data(config.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The collector's arguments that turn the live sink on.
    var arguments: [String] { liveSocket.map { ["--live-socket", $0] } ?? [] }

    var name: String {
        switch (redisURL != nil, liveSocket != nil) {
        case (false, false): "files alone"
        case (true, false): "files + Redis"
        case (false, true): "files + live feed"
        case (true, true): "files + Redis + live feed"
        }
    }
}

/// A collector's Redis counters from its status file (`--status-file`): messages the server took
/// and messages dropped (nil without Redis or without a status file yet).
func redisCounters(statusFile: String) -> (sent: Int, dropped: Int)? {
    guard let data = FileManager.default.contents(atPath: statusFile),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let redis = object["redis"] as? [String: Any],
        let sent = redis["sent"] as? Int, let dropped = redis["dropped"] as? Int
    else { return nil }
    return (sent, dropped)
}
