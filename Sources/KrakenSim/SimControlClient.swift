import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A client of `SimControlServer` for tests and scripts: one plain-socket HTTP/1.0 GET to
/// 127.0.0.1:`port`, answered after the change is made.
public enum SimControlClient {
    /// GET `path` (e.g. `/control/list?pair=SOL/USD`): the HTTP status and body.
    public static func get(port: Int, path: String) throws -> (status: Int, body: String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SimControlClientError("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SimControlClientError("cannot connect to port \(port)") }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == request.count else {
            throw SimControlClientError("write failed")
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
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw SimControlClientError("bad response: \(text)")
        }
        return (status, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}

/// Why a control request got no answer.
public struct SimControlClientError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = "control: " + description }
}
