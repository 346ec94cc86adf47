import Foundation

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
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RecordingProblem("control: socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw RecordingProblem("control: cannot connect to port \(port)") }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == request.count else {
            throw RecordingProblem("control: write failed")
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else { break }
            response += buffer[0..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let statusLine = parts.first?.split(separator: " ") ?? []
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw RecordingProblem("control: bad response \(text)") }
        return (status, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}
