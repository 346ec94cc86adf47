import BytebitWebSocket
import Foundation
import Testing

@Suite struct FailureTests {
    @Test func refusedPortIsReportedAsConnectionRefused() throws {
        let port = try RawTCPServer.refusedPort()
        let client = try makeClient("ws://127.0.0.1:\(port)/v2")

        let ending = runInBackground(client, handler: RecordingClientHandler()).wait(timeout: 10)

        guard case .connectionRefused = ending else {
            Issue.record("expected connectionRefused, got \(String(describing: ending))")
            return
        }
    }

    @Test func unresolvableHostIsReportedAsDNSFailure() throws {
        let client = try makeClient("wss://bytebit-no-such-host.invalid/v2")

        let ending = runInBackground(client, handler: RecordingClientHandler()).wait(timeout: 30)

        guard case .dnsFailure = ending else {
            Issue.record("expected dnsFailure, got \(String(describing: ending))")
            return
        }
    }

    @Test func httpErrorOnTheUpgradeReportsTheStatus() throws {
        let raw = try RawTCPServer(.reply(Array("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".utf8)))
        defer { raw.shutdown() }
        let client = try makeClient("ws://127.0.0.1:\(raw.port)/v2")

        let ending = runInBackground(client, handler: RecordingClientHandler()).wait(timeout: 10)

        #expect(ending == .upgradeFailed(httpStatus: 404))
    }

    @Test func garbageInsteadOfAnHTTPResponseIsAHandshakeFailure() throws {
        let raw = try RawTCPServer(.reply(Array("\u{1}\u{2}SSH-2.0-nonsense\r\n\r\n".utf8)))
        defer { raw.shutdown() }
        let client = try makeClient("ws://127.0.0.1:\(raw.port)/v2")

        let ending = runInBackground(client, handler: RecordingClientHandler()).wait(timeout: 10)

        guard case .handshakeFailed = ending else {
            Issue.record("expected handshakeFailed, got \(String(describing: ending))")
            return
        }
    }

    @Test func unansweredUpgradeHitsTheConnectTimeout() throws {
        let raw = try RawTCPServer(.silent)
        defer { raw.shutdown() }
        let client = try makeClient("ws://127.0.0.1:\(raw.port)/v2", connectTimeout: .milliseconds(300))

        let startedAt = Date()
        let ending = runInBackground(client, handler: RecordingClientHandler()).wait(timeout: 10)

        #expect(ending == .connectTimeout)
        #expect(Date().timeIntervalSince(startedAt) >= 0.3)
        #expect(Date().timeIntervalSince(startedAt) < 5)
    }

    @Test func stopDuringTheHandshakeEndsPromptly() throws {
        let raw = try RawTCPServer(.silent)
        defer { raw.shutdown() }
        let client = try makeClient("ws://127.0.0.1:\(raw.port)/v2", connectTimeout: .seconds(60))
        let ending = runInBackground(client, handler: RecordingClientHandler())
        #expect(raw.accepted.wait(timeout: 5) == true)

        let stoppedAt = Date()
        client.stop()

        #expect(ending.wait(timeout: 5) == .stopped)
        #expect(Date().timeIntervalSince(stoppedAt) < 2)
    }
}
