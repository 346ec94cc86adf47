import BytebitWebSocket
import Foundation
import Logging

/// Pushes `messages` Kraken-like book updates (~250 B) from a local WebSocketServer to a WebSocketClient
/// over loopback, as fast as the client reads, and prints throughput and CPU (client + server: one process).
func runTransportBenchmark(messages: Int, tls: Bool) throws {
    var logger = Logger(label: "bytebit.bench.transport")
    logger.logLevel = .warning
    let pki = tls ? try BenchmarkCertificate() : nil
    defer { pki?.remove() }

    let producer = BookUpdateProducer(total: messages)
    let server = try WebSocketServer(
        configuration: WebSocketServerConfiguration(tls: pki.map { ($0.certificateFile, $0.keyFile) }),
        handler: producer,
        logger: logger
    )
    producer.server = server
    server.start()
    defer { server.stop() }

    let scheme = tls ? "wss" : "ws"
    let client = try WebSocketClient(
        configuration: WebSocketClientConfiguration(
            url: try WebSocketURL("\(scheme)://127.0.0.1:\(server.boundPort)/v2"),
            extraCAFile: pki?.caFile
        ),
        logger: logger
    )
    let consumer = CountingConsumer(expected: messages, client: client)
    let cpuBefore = CPUTime.process()
    let clientBefore = CPUTime.thread()
    let ending = client.run(handler: consumer)
    let clientCPU = CPUTime.thread() - clientBefore
    let cpuAfter = CPUTime.process()

    let seconds = max(consumer.lastAt - consumer.firstAt, 1e-9)
    let rate = Double(consumer.received) / seconds
    let perMillion = 1_000_000 / Double(max(consumer.received, 1))
    let cpuPerMillion = (cpuAfter - cpuBefore) * perMillion
    let megabytes = Double(consumer.bytes) / 1_000_000
    print(
        """
        transport \(scheme): \(consumer.received) messages (\(String(format: "%.1f", megabytes)) MB, \
        avg \(consumer.bytes / max(consumer.received, 1)) B) in \(String(format: "%.3f", seconds)) s \
        → \(Int(rate)) msgs/s, \(String(format: "%.1f", megabytes / seconds)) MB/s; \
        CPU \(String(format: "%.2f", cpuPerMillion)) s per million messages (client + server, one process; \
        client thread alone \(String(format: "%.2f", clientCPU * perMillion)) s); \
        ending: \(ending); checksum \(consumer.checksum)
        """)
}

/// Streams book updates to each connection from the writable callback, then closes it.
private final class BookUpdateProducer: WebSocketServerHandler, @unchecked Sendable {
    weak var server: WebSocketServer?
    private let total: Int
    private var sent: [WebSocketConnectionID: Int] = [:]
    private let templates: [[UInt8]] = (0..<64).map { index in
        let price = 67_321 + index
        return Array(
            """
            {"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":\(price).1,\
            "qty":0.10000000},{"price":\(price - 1).4,"qty":1.25000000}],"asks":[{"price":\(price + 1).2,\
            "qty":0.00000000}],"checksum":\(3_310_070_434 - index),"timestamp":"2026-11-21T23:59:59.123456Z"}]}
            """.utf8)
    }

    init(total: Int) { self.total = total }

    func connectionDidOpen(_ id: WebSocketConnectionID) { sent[id] = 0 }

    func connectionDidClose(_ id: WebSocketConnectionID) { sent[id] = nil }

    func connectionIsWritable(_ id: WebSocketConnectionID) {
        guard let server, var count = sent[id], count < total else { return }
        let end = min(count + 256, total)
        while count < end {
            templates[count % templates.count].withUnsafeBufferPointer { _ = server.send($0, to: id) }
            count += 1
        }
        sent[id] = count
        if count == total { server.close(id, code: 1000, reason: "benchmark done") }
    }
}

/// Counts messages and touches every byte, as a parser would.
private final class CountingConsumer: WebSocketHandler {
    let expected: Int
    let client: WebSocketClient
    var received = 0
    var bytes = 0
    var checksum: UInt8 = 0
    var firstAt: TimeInterval = 0
    var lastAt: TimeInterval = 0

    init(expected: Int, client: WebSocketClient) {
        self.expected = expected
        self.client = client
    }

    func webSocketDidReceive(_ message: UnsafeRawBufferPointer, isText: Bool) {
        if received == 0 { firstAt = ProcessInfo.processInfo.systemUptime }
        var sum = checksum
        for byte in message { sum ^= byte }
        checksum = sum
        received += 1
        bytes += message.count
        if received == expected {
            lastAt = ProcessInfo.processInfo.systemUptime
            client.stop()
        }
    }
}

/// A CA and a 127.0.0.1 server certificate made with the openssl CLI, so wss keeps verification on.
struct BenchmarkCertificate {
    let directory: URL
    var caFile: String { directory.appendingPathComponent("ca.pem").path }
    var certificateFile: String { directory.appendingPathComponent("server.pem").path }
    var keyFile: String { directory.appendingPathComponent("server.key").path }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bytebit-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let d = directory.path
        try Self.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
            "\(d)/ca.key", "-out", "\(d)/ca.pem", "-days", "1", "-subj", "/CN=bytebit bench CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
        ])
        try Self.openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
            "\(d)/server.key", "-out", "\(d)/server.csr", "-subj", "/CN=127.0.0.1",
        ])
        try "subjectAltName=IP:127.0.0.1\n".write(toFile: "\(d)/server.ext", atomically: true, encoding: .utf8)
        try Self.openssl([
            "x509", "-req", "-in", "\(d)/server.csr", "-CA", "\(d)/ca.pem", "-CAkey", "\(d)/ca.key",
            "-CAcreateserial", "-out", "\(d)/server.pem", "-days", "1", "-extfile", "\(d)/server.ext",
        ])
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "openssl \(arguments.first ?? "") failed (is the openssl CLI installed?)")
        }
    }
}
