import BytebitLive
import BytebitWebSocket
import Foundation
import Testing

/// `tls_cert` and `tls_key`: the feed is served as wss://, with the same token rule.
@Suite struct LiveTLSTests {
    @Test func withACertificateTheFeedIsWssAndStillAsksForTheToken() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("live-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("cert.pem").path, key = folder.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
            "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl could not make a certificate")
        let feed = try InProcessFeed(certificateFile: cert, privateKeyFile: key)
        let url = "wss://127.0.0.1:\(feed.port)/v1/stream"
        let refused = try FeedClient(url: url, caFile: cert)
        #expect(eventually { refused.end != nil })
        #expect(refused.end == .upgradeFailed(httpStatus: 401))
        let client = try FeedClient(url: "\(url)?token=\(feed.token)", caFile: cert)
        #expect(eventually { client.isOpen })
        client.send(#"{"op":"subscribe","pairs":["*"]}"#)
        #expect(eventually { client.objects.contains { $0["type"] as? String == "subscribed" } })
        let plain = try FeedClient(url: "ws://127.0.0.1:\(feed.port)/v1/stream?token=\(feed.token)")
        #expect(eventually { plain.end != nil }, "plain ws:// to the TLS port gets no stream")
        #expect(!plain.isOpen)
    }
}
