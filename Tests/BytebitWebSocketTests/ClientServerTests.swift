import BytebitWebSocket
import Foundation
import Testing

@Suite struct ClientServerTests {
    @Test func echoesTextOverPlainWebSocket() throws {
        let running = try RunningServer()
        defer { running.stop() }
        let client = try makeClient(running.url)
        let handler = RecordingClientHandler()
        handler.onOpen = { client.send(text: "{\"method\":\"ping\"}") }
        let ending = runInBackground(client, handler: handler)

        #expect(handler.record.wait(timeout: 5) { $0.messages.count == 1 })
        #expect(handler.texts == ["{\"method\":\"ping\"}"])
        #expect(handler.record.read { $0.textFlags } == [true])
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }

    @Test func sendFromAnotherThreadArrivesInOrder() throws {
        let running = try RunningServer()
        defer { running.stop() }
        let client = try makeClient(running.url)
        let handler = RecordingClientHandler()
        let ending = runInBackground(client, handler: handler)
        #expect(handler.record.wait(timeout: 5) { $0.opened })

        let sender = Thread { for index in 0..<100 { client.send(text: "message \(index)") } }
        sender.start()

        #expect(handler.record.wait(timeout: 5) { $0.messages.count == 100 })
        #expect(handler.texts == (0..<100).map { "message \($0)" })
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }

    @Test func stopSendsCloseAndTheServerSeesTheConnectionEnd() throws {
        let running = try RunningServer()
        defer { running.stop() }
        let client = try makeClient(running.url)
        let handler = RecordingClientHandler()
        let ending = runInBackground(client, handler: handler)
        #expect(running.handler.record.wait(timeout: 5) { $0.opened.count == 1 })

        let stoppedAt = Date()
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
        #expect(Date().timeIntervalSince(stoppedAt) < 2)
        #expect(running.handler.record.wait(timeout: 5) { $0.closed.count == 1 })
        #expect(client.run(handler: handler) == .stopped, "stop() is final: later runs end at once")
    }

    @Test func largeMessageBeyondTheReceiveBufferIsReassembled() throws {
        let payload = (0..<(3 << 20)).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        let running = try RunningServer { handler in
            handler.onOpen = { id in
                payload.withUnsafeBufferPointer { _ = handler.server?.send($0, to: id) }
            }
        }
        defer { running.stop() }
        let client = try makeClient(running.url)
        let handler = RecordingClientHandler()
        let ending = runInBackground(client, handler: handler)

        #expect(handler.record.wait(timeout: 10) { $0.messages.count == 1 })
        #expect(handler.record.read { $0.messages.first } == payload)
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }

    @Test func fragmentedMessageIsReassembled() throws {
        let running = try RunningServer { handler in
            handler.onOpen = { id in
                let frames =
                    serverFrame(opcode: 0x1, final: false, payload: Array("{\"channel\":".utf8))
                    + serverFrame(opcode: 0x0, final: false, payload: Array("\"book\",".utf8))
                    + serverFrame(opcode: 0x0, final: true, payload: Array("\"type\":\"update\"}".utf8))
                    + serverFrame(opcode: 0x1, final: true, payload: Array("after".utf8))
                handler.server?.sendUnframed(frames, to: id)
            }
        }
        defer { running.stop() }
        let client = try makeClient(running.url)
        let handler = RecordingClientHandler()
        let ending = runInBackground(client, handler: handler)

        #expect(handler.record.wait(timeout: 5) { $0.messages.count == 2 })
        #expect(handler.texts == ["{\"channel\":\"book\",\"type\":\"update\"}", "after"])
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }

    @Test func messageOverTheCapEndsWithMessageTooBig() throws {
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: 2 << 20)
        let running = try RunningServer { handler in
            handler.onOpen = { id in
                payload.withUnsafeBufferPointer { _ = handler.server?.send($0, to: id) }
            }
        }
        defer { running.stop() }
        let client = try makeClient(running.url, maximumMessageBytes: 1 << 20)
        let handler = RecordingClientHandler()

        let ending = runInBackground(client, handler: handler).wait(timeout: 10)

        #expect(ending == .messageTooBig(limit: 1 << 20))
        #expect(handler.record.read { $0.messages.isEmpty })
        #expect(running.handler.record.wait(timeout: 5) { $0.closed.count == 1 })
    }

    @Test func peerCloseReportsCodeAndReason() throws {
        let running = try RunningServer { handler in
            handler.onOpen = { id in
                handler.server?.send(text: "last words", to: id)
                handler.server?.close(id, code: 4001, reason: "maintenance")
            }
        }
        defer { running.stop() }
        let client = try makeClient(running.url)
        let handler = RecordingClientHandler()

        let ending = runInBackground(client, handler: handler).wait(timeout: 5)

        #expect(ending == .peerClosed(code: 4001, reason: "maintenance"))
        #expect(handler.texts == ["last words"])
    }

    @Test func serverVanishingMidFrameIsAnAbnormalClose() throws {
        let running = try RunningServer { handler in
            handler.onOpen = { id in
                let partial = serverFrame(
                    opcode: 0x1, final: true, payload: Array("{\"channel\":\"bo".utf8), declaredLength: 100)
                handler.server?.sendUnframed(partial, to: id)
                handler.server?.drop(id)
            }
        }
        defer { running.stop() }
        let client = try makeClient(running.url)
        let handler = RecordingClientHandler()

        let ending = runInBackground(client, handler: handler).wait(timeout: 5)

        guard case .abnormalClose(let detail) = ending else {
            Issue.record("expected abnormalClose, got \(String(describing: ending))")
            return
        }
        #expect(detail.contains("middle of a message"))
        #expect(handler.record.read { $0.messages.isEmpty })
    }

    @Test func silenceBeyondTheIdleTimeoutEndsTheRun() throws {
        let running = try RunningServer()
        defer { running.stop() }
        let client = try makeClient(running.url, idleTimeout: .milliseconds(300))
        let handler = RecordingClientHandler()

        let startedAt = Date()
        let ending = runInBackground(client, handler: handler).wait(timeout: 5)

        #expect(ending == .idleTimeout)
        #expect(Date().timeIntervalSince(startedAt) >= 0.3)
        #expect(handler.record.read { $0.opened })
    }

    @Test func ticksArriveOnTheServiceThreadWhileOpen() throws {
        let running = try RunningServer()
        defer { running.stop() }
        let client = try makeClient(running.url)
        let handler = RecordingClientHandler()
        let ending = runInBackground(client, handler: handler)

        #expect(handler.record.wait(timeout: 5) { $0.ticks >= 3 })
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }

    @Test func clientIsReusableForAReconnect() throws {
        let running = try RunningServer { handler in
            handler.onOpen = { id in handler.server?.close(id, code: 1001, reason: "going away") }
        }
        defer { running.stop() }
        let client = try makeClient(running.url)

        let first = client.run(handler: RecordingClientHandler())
        let second = client.run(handler: RecordingClientHandler())

        #expect(first == .peerClosed(code: 1001, reason: "going away"))
        #expect(second == .peerClosed(code: 1001, reason: "going away"))
        #expect(running.handler.record.wait(timeout: 5) { $0.opened.count == 2 })
    }

    @Test func serverPushesWhileTheClientReads() throws {
        let total = 20_000
        let streaming = StreamingHandler(total: total)
        let server = try WebSocketServer(
            configuration: WebSocketServerConfiguration(), handler: streaming, logger: testLogger)
        streaming.server = server
        server.start()
        defer { server.stop() }

        let client = try makeClient("ws://127.0.0.1:\(server.boundPort)/v2")
        let handler = RecordingClientHandler()
        let ending = runInBackground(client, handler: handler)

        #expect(handler.record.wait(timeout: 20) { $0.messages.count == total })
        #expect(handler.texts.last == "update \(total - 1)")
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }
}

/// Pushes `total` numbered messages in batches from the writable callback.
final class StreamingHandler: WebSocketServerHandler, @unchecked Sendable {
    let total: Int
    private var next = 0
    weak var server: WebSocketServer?

    init(total: Int) { self.total = total }

    func connectionIsWritable(_ id: WebSocketConnectionID) {
        let end = min(next + 64, total)
        while next < end {
            server?.send(text: "update \(next)", to: id)
            next += 1
        }
    }
}

@Suite struct PingTests {
    @Test func answeredPingsKeepAQuietConnectionAlive() throws {
        let running = try RunningServer()
        defer { running.stop() }
        // Pings every 50 ms, each due within 1 s: two quiet seconds outlive the deadline only if pongs arrive.
        let client = try makeClient(running.url, pingInterval: .milliseconds(50), pingTimeout: .seconds(1))
        let handler = RecordingClientHandler()
        let ending = runInBackground(client, handler: handler)

        #expect(handler.record.wait(timeout: 10) { $0.ticks >= 100 }, "ticks every 20 ms: 2 s of quiet connection")
        #expect(ending.wait(timeout: 0) == nil)
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }

    @Test func unansweredPingEndsWithPingTimeout() throws {
        let running = try RunningServer { handler in
            handler.onOpen = { id in handler.server?.pauseReading(id) }
        }
        defer { running.stop() }
        let client = try makeClient(running.url, pingInterval: .milliseconds(100), pingTimeout: .milliseconds(300))

        let startedAt = Date()
        let ending = runInBackground(client, handler: RecordingClientHandler()).wait(timeout: 5)

        #expect(ending == .pingTimeout)
        #expect(Date().timeIntervalSince(startedAt) >= 0.4)
    }
}

@Suite struct ServerTests {
    @Test func ephemeralPortIsReported() throws {
        let running = try RunningServer()
        defer { running.stop() }
        #expect(running.server.boundPort > 0)
    }

    @Test func sendToAnUnknownConnectionReportsFalse() throws {
        let running = try RunningServer()
        defer { running.stop() }
        #expect(running.server.send(text: "nobody", to: WebSocketConnectionID(rawValue: 999)) == false)
        #expect(running.server.close(WebSocketConnectionID(rawValue: 999)) == false)
    }

    @Test func busyPortIsASetupError() throws {
        let running = try RunningServer()
        defer { running.stop() }
        #expect(throws: WebSocketError.self) {
            _ = try WebSocketServer(
                configuration: WebSocketServerConfiguration(port: running.server.boundPort),
                handler: ScriptedServerHandler(), logger: testLogger)
        }
    }

    @Test func clientMessagesReachTheServerHandler() throws {
        let running = try RunningServer()
        defer { running.stop() }
        let client = try makeClient(running.url)
        let handler = RecordingClientHandler()
        handler.onOpen = { client.send(text: "{\"method\":\"subscribe\"}") }
        let ending = runInBackground(client, handler: handler)

        #expect(running.handler.record.wait(timeout: 5) { $0.received == ["{\"method\":\"subscribe\"}"] })
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }

    /// A producer's request for another call made while its writable callback runs (as when another
    /// thread's message arrives just after the producer looked and found nothing) gets that call:
    /// the connection is armed then, so the request wakes no one, and disarming after the callback
    /// left the message waiting for the next request (the live feed's "reading client keeps up").
    @Test func aRequestMadeDuringTheWritableCallbackGetsAnotherCall() throws {
        let producer = LateRequestProducer()
        let server = try WebSocketServer(
            configuration: WebSocketServerConfiguration(), handler: producer, logger: testLogger)
        producer.server = server
        server.start()
        defer { server.stop() }
        let client = try makeClient("ws://127.0.0.1:\(server.boundPort)/v2")
        let handler = RecordingClientHandler()
        let ending = runInBackground(client, handler: handler)

        #expect(handler.record.wait(timeout: 30) { $0.messages.count == 1 }, "the second call's message")
        #expect(handler.texts == ["from the second call"])
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }
}

/// Finds nothing to send on its first writable call but asks for another; sends on the second.
final class LateRequestProducer: WebSocketServerHandler, @unchecked Sendable {
    weak var server: WebSocketServer?
    private var calls = 0

    func connectionIsWritable(_ id: WebSocketConnectionID) {
        calls += 1
        if calls == 1 { server?.requestWritable(id) }
        if calls == 2 { server?.send(text: "from the second call", to: id) }
    }
}

@Suite struct QueueingTests {
    @Test func messagesSentBeforeTheRunGoOutOnceOpen() throws {
        let running = try RunningServer()
        defer { running.stop() }
        let client = try makeClient(running.url)
        client.send(text: "queued early")
        let handler = RecordingClientHandler()
        let ending = runInBackground(client, handler: handler)

        #expect(handler.record.wait(timeout: 5) { $0.messages.count == 1 })
        #expect(handler.texts == ["queued early"])
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }

    @Test func serverRefusesAnOversizedClientMessageWith1009() throws {
        let running = try RunningServer()  // server cap: 1 MiB
        defer { running.stop() }
        let client = try makeClient(running.url)
        let handler = RecordingClientHandler()
        handler.onOpen = { client.send(text: String(repeating: "y", count: 2 << 20)) }

        let ending = runInBackground(client, handler: handler).wait(timeout: 10)

        // The close frame races the client's own 2 MiB send: when the server closes with unread bytes, TCP
        // resets and the client may lose the close frame. Either way the run ends and nothing was delivered.
        switch ending {
        case .peerClosed(let code, let reason):
            #expect(code == 1009)
            #expect(reason == "message too big")
        case .abnormalClose: break
        default: Issue.record("expected the server's 1009 close or a reset, got \(String(describing: ending))")
        }
        #expect(running.handler.record.read { $0.received.isEmpty })
        #expect(running.handler.record.wait(timeout: 5) { $0.closed.count == 1 })
    }
}

@Suite struct IdleCostTests {
    /// With no deadline due (no ticks wanted, no idle or ping timers) the client sleeps in poll until
    /// something happens: no fixed wake-ups. The handler is asked once or twice per service pass.
    @Test func anOpenConnectionWithNothingDueDoesNotWakeUp() throws {
        let running = try RunningServer()
        defer { running.stop() }
        let client = try makeClient(running.url)
        let handler = RecordingClientHandler()
        handler.record.mutate { $0.wakeUp = .never }
        let ending = runInBackground(client, handler: handler)
        #expect(handler.record.wait(timeout: 5) { $0.opened })
        let asked = handler.record.read { $0.wakeUpQuestions }

        // Half a second of a quiet connection; with ticks every 20 ms this would be 25 passes or more.
        #expect(handler.record.wait(timeout: 0.5) { $0.ticks > 0 } == false)
        #expect(handler.record.read { $0.wakeUpQuestions } - asked <= 2)

        client.send(text: "wake up")
        #expect(handler.record.wait(timeout: 5) { $0.messages.count == 1 }, "a frame still wakes it at once")
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }

    @Test func aHandlersOwnDeadlineReplacesTheTickCadence() throws {
        let running = try RunningServer()
        defer { running.stop() }
        let client = try makeClient(running.url)
        let handler = RecordingClientHandler()
        let deadline = ContinuousClock.now + .milliseconds(300)
        handler.record.mutate { $0.deadline = deadline }
        let ending = runInBackground(client, handler: handler)

        // No tick on the 20 ms cadence before the handler's deadline, one once it is due.
        #expect(handler.record.wait(timeout: 5) { $0.ticks >= 1 })
        #expect(ContinuousClock.now >= deadline)
        #expect(handler.record.read { $0.ticks } == 1, "one tick, at the handler's deadline")
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }
}
