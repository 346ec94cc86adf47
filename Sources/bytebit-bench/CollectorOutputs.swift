import Foundation

/// The outputs a benchmarked `collector` runs with beside its files: Redis (its config's `redis`
/// section) and the live feed (`--live-socket`). Files alone is `CollectorOutputs()`.
struct CollectorOutputs {
    var redisURL: String?
    var liveSocket: String?

    /// The config lines that turn Redis on (empty without it).
    var configSection: String { redisURL.map { "redis:\n  url: \($0)\n" } ?? "" }

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
