import BytebitWebSocket
import Foundation
import Testing

@Suite struct TLSTests {
    static let certificates = Result { try TestCertificates() }

    @Test func echoesOverTLSWithTheExtraCA() throws {
        let certificates = try Self.certificates.get()
        let running = try RunningServer(tls: certificates.localhost)
        defer { running.stop() }
        let client = try makeClient(running.secureURL, caFile: certificates.caFile)
        let handler = RecordingClientHandler()
        handler.onOpen = { client.send(text: "over tls") }
        let ending = runInBackground(client, handler: handler)

        #expect(handler.record.wait(timeout: 30) { $0.messages.count == 1 })
        #expect(handler.texts == ["over tls"])
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }

    /// Every TLS context libwebsockets makes re-allocates the process-wide index through which its
    /// certificate check finds the connection; one made by another thread while a handshake waits for
    /// the server's certificate made lws refuse a good one ("the TLS handshake failed"). Tests run in
    /// parallel, collectors run several connections: contexts are made all the time.
    @Test func handshakesSucceedWhileOtherThreadsMakeTLSContexts() throws {
        let certificates = try Self.certificates.get()
        let running = try RunningServer(tls: certificates.localhost)
        defer { running.stop() }
        let churning = Guarded(true)
        let churned = Eventually<Bool>()
        let churner = Thread {
            while churning.read({ $0 }) {
                _ = try? WebSocketServer(
                    configuration: WebSocketServerConfiguration(tls: certificates.localhost),
                    handler: ScriptedServerHandler(), logger: testLogger)
            }
            churned.fulfil(true)
        }
        churner.start()
        defer {
            churning.mutate { $0 = false }
            _ = churned.wait(timeout: 30)  // no TLS context still being made when the process exits
        }
        // Four connections at a time, as a collector's several connections reconnect: their own
        // contexts come and go too.
        let failures = Guarded([String]())
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<25 {
                guard let client = try? makeClient(running.secureURL, caFile: certificates.caFile) else {
                    failures.mutate { $0.append("no client") }
                    continue
                }
                let handler = RecordingClientHandler()
                handler.onOpen = { client.stop() }
                let ending = runInBackground(client, handler: handler).wait(timeout: 30)
                if ending != .stopped || !handler.record.read(\.opened) {
                    failures.mutate { $0.append(String(describing: ending)) }
                }
            }
        }
        let failed = failures.read { $0 }
        #expect(failed.isEmpty, "\(failed.count) of 100 handshakes failed: \(failed.prefix(3))")
    }

    /// A server certificate the client must refuse, and a word the verifier's reason must contain.
    enum BadCertificate: String, CaseIterable, Sendable {
        case forAnotherHost = "mismatch"
        case fromAnUnknownCA = "issuer"
    }

    @Test(arguments: BadCertificate.allCases)
    func aCertificateTheVerifierRefusesEndsWithItsReason(_ bad: BadCertificate) throws {
        let certificates = try Self.certificates.get()
        let running = try RunningServer(tls: bad == .forAnotherHost ? certificates.otherHost : certificates.unknownIssuer)
        defer { running.stop() }
        let client = try makeClient(running.secureURL, caFile: certificates.caFile)

        let ending = runInBackground(client, handler: RecordingClientHandler()).wait(timeout: 30)

        guard case .tlsFailure(let detail) = ending else {
            Issue.record("expected tlsFailure, got \(String(describing: ending))")
            return
        }
        #expect(detail.contains(bad.rawValue), "\(detail)")
        #expect(running.handler.record.read { $0.opened.isEmpty })
    }

    @Test func withoutTheExtraCAASelfIssuedServerIsRejected() throws {
        let certificates = try Self.certificates.get()
        let running = try RunningServer(tls: certificates.localhost)
        defer { running.stop() }
        let client = try makeClient(running.secureURL)

        let ending = runInBackground(client, handler: RecordingClientHandler()).wait(timeout: 30)

        guard case .tlsFailure = ending else {
            Issue.record("expected tlsFailure, got \(String(describing: ending))")
            return
        }
    }
}

@Suite struct TLSMisuseTests {
    @Test func wssToAPlainServerSaysTheServerDidNotAnswerTLS() throws {
        let running = try RunningServer()
        defer { running.stop() }
        let client = try makeClient(running.secureURL)

        let ending = runInBackground(client, handler: RecordingClientHandler()).wait(timeout: 30)

        #expect(ending == .tlsFailure("the server did not answer TLS (is it a plain ws:// server?)"))
        #expect(
            ending?.description == "TLS failure: the server did not answer TLS (is it a plain ws:// server?)")
    }

    @Test func anHTTPAnswerToTheClientHelloIsNotTLS() throws {
        let raw = try RawTCPServer(.replyAtOnce(Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8)))
        defer { raw.shutdown() }
        let client = try makeClient("wss://127.0.0.1:\(raw.port)/v2")

        let ending = runInBackground(client, handler: RecordingClientHandler()).wait(timeout: 30)

        #expect(ending == .tlsFailure("the server did not answer TLS (is it a plain ws:// server?)"))
    }

    @Test func aTLSAlertFromTheServerIsReportedByName() throws {
        // A TLS 1.2 record: alert, fatal (2), handshake_failure (40).
        let raw = try RawTCPServer(.replyAtOnce([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]))
        defer { raw.shutdown() }
        let client = try makeClient("wss://127.0.0.1:\(raw.port)/v2")

        let ending = runInBackground(client, handler: RecordingClientHandler()).wait(timeout: 30)

        #expect(ending == .tlsFailure("the server refused the TLS handshake (alert: handshake failure)"))
    }

    @Test func aTLSHandshakeThatNeverAnswersHitsTheConnectTimeout() throws {
        let raw = try RawTCPServer(.silent)
        defer { raw.shutdown() }
        let client = try makeClient("wss://127.0.0.1:\(raw.port)/v2", connectTimeout: .milliseconds(300))

        let startedAt = Date()
        let ending = runInBackground(client, handler: RecordingClientHandler()).wait(timeout: 30)

        #expect(ending == .connectTimeout)
        #expect(Date().timeIntervalSince(startedAt) >= 0.3)
    }
}
