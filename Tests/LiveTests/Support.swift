import BytebitCore
import BytebitLive
import BytebitWebSocket
import Foundation
import Logging
import Testing

/// Waits for `condition` with a deadline (never a fixed sleep); false when the deadline passed.
func eventually(seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}

let quietLogger: Logger = {
    var logger = Logger(label: "live-test")
    logger.logLevel = .critical
    return logger
}()

/// A book top of one level a side, at `microseconds` since 1970.
func bookTop(at microseconds: Int64, bid: String = "100.0", ask: String = "100.5") throws -> VerifiedBookTop {
    let bids = [PriceLevel(price: try #require(ExactDecimal(bid)), qty: try #require(ExactDecimal("1.00000000")))]
    let asks = [PriceLevel(price: try #require(ExactDecimal(ask)), qty: try #require(ExactDecimal("2.00000000")))]
    return VerifiedBookTop(
        timestamp: UTCTimestamp(microsecondsSince1970: microseconds),
        receivedAt: UTCTimestamp(microsecondsSince1970: microseconds + 100), bids: bids[...], asks: asks[...],
        checksum: 42)
}

func trade(id: UInt64, at microseconds: Int64) throws -> TradeRecord {
    TradeRecord(
        timestamp: UTCTimestamp(microsecondsSince1970: microseconds),
        receivedAt: UTCTimestamp(microsecondsSince1970: microseconds + 100), tradeID: id, side: "buy",
        price: try #require(ExactDecimal("100.1")), qty: try #require(ExactDecimal("0.50000000")), orderType: "limit")
}

func event(_ kind: LedgerEvent, at microseconds: Int64) -> LedgerRecord {
    LedgerRecord(timestamp: UTCTimestamp(microsecondsSince1970: microseconds), event: kind, detail: "test")
}

/// A real WebSocket client (the project's own) on a thread of its own, keeping every message.
final class FeedClient: WebSocketHandler, @unchecked Sendable {
    let client: WebSocketClient
    private let lock = NSLock()
    private var received: [String] = []
    private var ending: WebSocketEnding?
    private var opened = false

    init(url: String, caFile: String? = nil) throws {
        client = try WebSocketClient(
            configuration: WebSocketClientConfiguration(
                url: try WebSocketURL(url), extraCAFile: caFile, connectTimeout: .seconds(5)),
            logger: quietLogger)
        let thread = Thread { [self] in
            let result = client.run(handler: self)
            lock.withLock { ending = result }
        }
        thread.start()
    }

    func webSocketDidOpen() { lock.withLock { opened = true } }

    func webSocketDidReceive(_ message: UnsafeRawBufferPointer, isText: Bool) {
        let text = String(decoding: message, as: UTF8.self)
        lock.withLock { received.append(text) }
    }

    var messages: [String] { lock.withLock { received } }
    var end: WebSocketEnding? { lock.withLock { ending } }
    var isOpen: Bool { lock.withLock { opened && ending == nil } }

    func send(_ text: String) { client.send(text: text) }
    func stop() { client.stop() }

    /// The JSON objects received so far.
    var objects: [[String: Any]] {
        messages.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

/// A client by hand on a TCP socket: sends an upgrade request with the headers given, reads the
/// HTTP answer, and (when upgraded) can send a text frame and then never read again (a stuck client).
final class RawHTTPClient {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw RawClientError(message: "connect failed") }
        var small: Int32 = 4096  // a small receive buffer: a stuck client backs up soon
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// Sends `GET path` as a WebSocket upgrade (or a plain GET) and returns the response head.
    func request(path: String, headers: [String] = [], upgrade: Bool = true) throws -> String {
        var lines = ["GET \(path) HTTP/1.1", "Host: 127.0.0.1"]
        if upgrade {
            lines += ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="]
        }
        write(Array((lines + headers + ["", ""]).joined(separator: "\r\n").utf8))
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while !head.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)) {
            guard read(fd, &byte, 1) == 1 else { break }
            head.append(byte)
        }
        return String(decoding: head, as: UTF8.self)
    }

    /// Everything the server sends until it closes (for a refused request's body), up to `limit`.
    func readRest(limit: Int = 1 << 16) -> [UInt8] {
        var rest: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while rest.count < limit {
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else { break }
            rest += buffer[0..<count]
        }
        return rest
    }

    /// One masked text frame (the mask is zero: the payload goes as it is).
    func sendText(_ text: String) {
        let payload = Array(text.utf8)
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        }
        frame += [0, 0, 0, 0] + payload
        write(frame)
    }

    private func write(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}

struct RawClientError: Error { let message: String }

/// A feed server in this process on a free port, fed by `hub.publish`.
final class InProcessFeed {
    let hub: LiveHub
    let server: LiveServer
    let token = "0123456789abcdef0123456789abcdef"

    init(limits: LiveClientLimits = .init(), certificateFile: String? = nil, privateKeyFile: String? = nil) throws {
        hub = LiveHub(limits: limits, logger: quietLogger)
        server = try LiveServer(
            settings: .init(host: "127.0.0.1", port: 0, certificateFile: certificateFile, privateKeyFile: privateKeyFile), gate: LiveAccessGate(token: LiveToken(secret: token)),
            hub: hub, logger: quietLogger)
        server.start()
    }

    var port: Int { server.boundPort }
    func url(_ query: String) -> String { "ws://127.0.0.1:\(port)/v1/stream\(query)" }

    deinit { server.stop() }
}
