import Foundation
import KrakenSim

/// The control endpoint of a `kraken-sim` started with `--control-port 0` (its stdout names the
/// port after `listening on`): plain HTTP GETs, each answered after the change is made.
struct SimulatorControl {
    let port: Int

    init(_ simulator: SimulatorProcess) throws {
        var found: Int?
        try waitUntil("kraken-sim's control line", seconds: 20) {
            found = simulator.child.stdout.split(separator: "\n")
                .first { $0.hasPrefix("control on http://127.0.0.1:") }
                .flatMap { line in Int(line.dropFirst("control on http://127.0.0.1:".count).prefix { $0.isNumber }) }
            return found != nil
        }
        port = found ?? 0
    }

    /// GET `path` (e.g. `/control/list?pair=SOL/USD`); the HTTP status and body.
    func get(_ path: String) throws -> (status: Int, body: String) {
        try SimControlClient.get(port: port, path: path)
    }
}
