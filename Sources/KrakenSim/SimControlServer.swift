import BytebitCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP/1.0 control interface on 127.0.0.1 beside the WebSocket port, so a test or a script
/// can change the running simulator without sleeping (every answer comes after the change is made):
///
/// - `GET /control/stats` → the counters as JSON (`SimStats.json`)
/// - `GET /control/blip` → resets every client connection at once; `{"dropped":N}`
/// - `GET /control/list?pair=NEW/USD[&price_precision=P&qty_precision=Q]` → lists a pair and sends an
///   instrument update; 409 if it is listed already
/// - `GET /control/delist?pair=X/Y` → instrument update with status `delisted`, its data stops; 404 if unknown
///
/// The WebSocket server has no HTTP hook of its own, hence a second port. One request per connection.
public final class SimControlServer: @unchecked Sendable {
    /// The port the control interface listens on.
    public let port: Int
    private let listener: Int32
    private let simulator: KrakenSimServer
    private var thread: Thread?

    /// Listens on 127.0.0.1:`port` (0: a free one).
    public init(port: Int, simulator: KrakenSimServer) throws(SimError) {
        self.simulator = simulator
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw .controlPort(port: port, reason: String(cString: strerror(errno))) }
        var one: Int32 = 1
        setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(socketFD, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(socketFD)
            throw .controlPort(port: port, reason: reason)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        listener = socketFD
    }

    /// `http://127.0.0.1:PORT/control`.
    public var url: String { "http://127.0.0.1:\(port)/control" }

    /// Answers requests on a thread of its own until `stop()`.
    public func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "kraken-sim.control"
        self.thread = thread
        thread.start()
    }

    /// Stops listening (the accept loop ends).
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while request.count < 16_384, !request.containsHeaderEnd {
            let count = read(client, &buffer, buffer.count)
            guard count > 0 else { break }
            request += buffer[0..<count]
        }
        let line = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = line.split(separator: " ")
        let (status, body): (Int, String)
        if parts.count >= 2, parts[0] == "GET", let target = URLComponents(string: String(parts[1])) {
            (status, body) = respond(path: target.path, query: target.queryItems ?? [])
        } else {
            (status, body) = (400, #"{"error":"send GET /control/stats|blip|list?pair=|delist?pair="}"#)
        }
        let reasons = [200: "OK", 400: "Bad Request", 404: "Not Found", 409: "Conflict", 503: "Service Unavailable"]
        let response = "HTTP/1.0 \(status) \(reasons[status] ?? "Error")\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        let bytes = Array(response.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return -1 }
                return write(client, base + sent, raw.count - sent)
            }
            guard count > 0 else { return }
            sent += count
        }
    }

    private func respond(path: String, query: [URLQueryItem]) -> (Int, String) {
        let pair = query.first { $0.name == "pair" }?.value
        let unavailable = (503, #"{"error":"the simulator is not serving"}"#)
        switch path {
        case "/control/stats":
            return simulator.control { $0.stats.json }.map { (200, $0) } ?? unavailable
        case "/control/blip":
            return simulator.control { $0.dropAllConnections() }.map { (200, #"{"dropped":\#($0)}"#) } ?? unavailable
        case "/control/list":
            guard let pair else { return (400, #"{"error":"list needs ?pair=BASE/QUOTE"}"#) }
            let pricePrecision = query.first { $0.name == "price_precision" }?.value.flatMap { Int8($0) } ?? 4
            let qtyPrecision = query.first { $0.name == "qty_precision" }?.value.flatMap { Int8($0) } ?? 8
            guard let listed = simulator.control({ $0.list(symbol: pair, pricePrecision: pricePrecision,
                qtyPrecision: qtyPrecision) != nil })
            else { return unavailable }
            return listed ? (200, #"{"listed":"# + JSONString.quoted(pair) + "}")
                : (409, #"{"error":"not listed: already listed, or not BASE/QUOTE"}"#)
        case "/control/delist":
            guard let pair else { return (400, #"{"error":"delist needs ?pair=BASE/QUOTE"}"#) }
            guard let delisted = simulator.control({ $0.delist(symbol: pair) }) else { return unavailable }
            return delisted ? (200, #"{"delisted":"# + JSONString.quoted(pair) + "}")
                : (404, #"{"error":"no such listed pair"}"#)
        default:
            return (404, #"{"error":"unknown control path; use /control/stats|blip|list|delist"}"#)
        }
    }
}

extension [UInt8] {
    fileprivate var containsHeaderEnd: Bool {
        count >= 4 && indices.dropLast(3).contains { self[$0] == 13 && self[$0 + 1] == 10 && self[$0 + 2] == 13 && self[$0 + 3] == 10 }
    }
}
