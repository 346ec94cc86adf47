import Dispatch
import Foundation
import KrakenSim
import Logging

/// Serves until SIGTERM/SIGINT. Prints `listening on ws://127.0.0.1:PORT/v2` on stdout once it
/// accepts connections (with `--port 0` that line tells which port the system chose), then
/// `control on http://127.0.0.1:PORT/control` with `--control-port`.
func serveKrakenSim(options: SimOptions, controlPort: Int?) throws {
    let server = try KrakenSimServer(options: options, logger: Logger(label: "kraken-sim"))
    let control = try controlPort.map { port throws(SimError) in try SimControlServer(port: port, simulator: server) }
    let signals = DispatchQueue(label: "kraken-sim.signals")
    let sources = [SIGTERM, SIGINT].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: signals)
        source.setEventHandler { server.stop() }
        source.resume()
        return source
    }
    FileHandle.standardOutput.write(Data("listening on \(server.url)\n".utf8))
    if let control {
        control.start()
        FileHandle.standardOutput.write(Data("control on \(control.url)\n".utf8))
    }
    server.run()
    control?.stop()
    withExtendedLifetime(sources) {}
}
