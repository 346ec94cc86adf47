import Foundation
import Testing

@testable import BytebitWebSocket

/// After libwebsockets connected, upgraded and delivered a whole message, the shim's own frame
/// reader takes the connection over (`readsDirectly`). Everything the connection does must work
/// the same on that side of the handover: messages of every size and framing in order, pings both
/// ways, the peer's close, a lost connection, our close, the size cap, sends from other threads.
@Suite struct DirectReaderTests {
    enum Transport: String, CaseIterable, Sendable {
        case ws, wss
    }

    static let certificates = Result { try TestCertificates() }

    /// A connection that has been handed over: the server said "hello" and the client read it.
    struct Handed {
        let running: RunningServer
        let client: WebSocketClient
        let handler: RecordingClientHandler
        let ending: Eventually<WebSocketEnding>
        let id: WebSocketConnectionID
    }

    static func handedOver(
        _ transport: Transport, maximumMessageBytes: Int = 16 << 20, pingInterval: Duration? = nil,
        coalescingDelay: Duration = .zero, firstWrite: [UInt8]? = nil
    ) throws -> Handed {
        let opened = Eventually<WebSocketConnectionID>()
        let first = firstWrite ?? serverFrame(opcode: 0x1, final: true, payload: Array("hello".utf8))
        let tls = transport == .wss ? try certificates.get().localhost : nil
        let running = try RunningServer(tls: tls) { handler in
            handler.onOpen = { id in
                opened.fulfil(id)
                handler.server?.sendUnframed(first, to: id)
            }
        }
        let client = try makeClient(
            transport == .wss ? running.secureURL : running.url,
            caFile: transport == .wss ? try certificates.get().caFile : nil, pingInterval: pingInterval,
            pingTimeout: .seconds(1), maximumMessageBytes: maximumMessageBytes, coalescingDelay: coalescingDelay)
        let handler = RecordingClientHandler()
        let ending = runInBackground(client, handler: handler)
        // Longer than the client's own connect deadline (15 s): a loaded machine may need most of it,
        // and a client that gave up says why.
        guard let id = opened.wait(timeout: 30) else {
            let why = ending.wait(timeout: 0).map { "the client's run ended: \($0)" } ?? "the client is still connecting"
            client.stop()
            running.stop()
            throw TestFailure("the server saw no connection (\(why))")
        }
        return Handed(running: running, client: client, handler: handler, ending: ending, id: id)
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func waitForHandover(_ handed: Handed, messages: Int = 1) -> Bool {
        let deadline = Date(timeIntervalSinceNow: 10)
        while Date() < deadline {
            if handed.client.readsDirectly && handed.handler.record.read({ $0.messages.count >= messages }) {
                return true
            }
            _ = handed.handler.record.wait(timeout: 0.02) { _ in false }
        }
        return false
    }

    /// Frames of every length encoding (7-bit, 16-bit, 64-bit), empty ones, binary ones and
    /// fragmented messages, all in one write: the reader must keep every boundary.
    static func mixedMessages() -> (frames: [UInt8], messages: [[UInt8]], isText: [Bool]) {
        var frames: [UInt8] = []
        var messages: [[UInt8]] = []
        var isText: [Bool] = []
        for index in 0..<400 {
            let length = [0, 1, 125, 126, 127, 300, 65_535, 65_536, 70_000][index % 9] + (index % 7)
            let payload = (0..<length).map { UInt8(ascii: "a") + UInt8(($0 + index) % 26) }
            messages.append(payload)
            if index % 5 == 4 && length >= 3 {
                let third = length / 3
                frames += serverFrame(opcode: 0x1, final: false, payload: Array(payload[..<third]))
                frames += serverFrame(opcode: 0x0, final: false, payload: Array(payload[third..<(2 * third)]))
                frames += serverFrame(opcode: 0x0, final: true, payload: Array(payload[(2 * third)...]))
                isText.append(true)
            } else {
                frames += serverFrame(opcode: index % 3 == 0 ? 0x2 : 0x1, final: true, payload: payload)
                isText.append(index % 3 != 0)
            }
        }
        return (frames, messages, isText)
    }

    @Test(arguments: Transport.allCases)
    func afterTheHandoverMessagesOfEverySizeAndFramingArriveInOrder(_ transport: Transport) throws {
        let handed = try Self.handedOver(transport)
        defer { handed.running.stop() }
        #expect(Self.waitForHandover(handed), "the direct reader takes over after the first whole message")
        let (frames, messages, isText) = Self.mixedMessages()
        // Cut into uneven writes so that frame headers straddle reads and records.
        var offset = 0
        var cut = 1
        while offset < frames.count {
            let end = min(frames.count, offset + cut)
            handed.running.server.sendUnframed(Array(frames[offset..<end]), to: handed.id)
            offset = end
            cut = cut * 3 % 20_011 + 1
        }

        #expect(handed.handler.record.wait(timeout: 20) { $0.messages.count == messages.count + 1 })
        let received = handed.handler.record.read { Array($0.messages.dropFirst()) }
        #expect(received.count == messages.count)
        #expect(received == messages)
        #expect(handed.handler.record.read { Array($0.textFlags.dropFirst()) } == isText)
        handed.client.stop()
        #expect(handed.ending.wait(timeout: 5) == .stopped)
    }

    /// A message arriving alone at a waiting client costs one read: the socket it left empty (a short
    /// read) is polled, not read again first (that was a second, empty `recv` per message of a quiet
    /// connection, issue 10). Without a coalescing delay nothing can have arrived in between.
    @Test(arguments: Transport.allCases)
    func aMessageArrivingAloneCostsOneRead(_ transport: Transport) throws {
        let handed = try Self.handedOver(transport)
        defer { handed.running.stop() }
        #expect(Self.waitForHandover(handed))
        // Let the reads that brought the first message settle (its wake-up's last read included).
        Thread.sleep(forTimeInterval: 0.1)
        let before = handed.client.directReads
        for index in 1...5 {
            handed.running.server.sendUnframed(serverFrame(opcode: 0x1, final: true, payload: Array("m\(index)".utf8)), to: handed.id)
            #expect(handed.handler.record.wait(timeout: 5) { $0.messages.count == index + 1 })
            // The client is back in its poll before the next one is sent.
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(handed.client.directReads - before == 5, "one read per message")
        handed.client.stop()
        #expect(handed.ending.wait(timeout: 5) == .stopped)
    }

    /// Bytes lws already read beyond the first message stay lws's to parse: the handover waits for
    /// a moment it holds none, and no message is lost or split either way.
    @Test(arguments: Transport.allCases)
    func messagesReadTogetherWithTheFirstOneAreNotLost(_ transport: Transport) throws {
        let (frames, messages, _) = Self.mixedMessages()
        let handed = try Self.handedOver(transport, firstWrite: frames)
        defer { handed.running.stop() }

        #expect(handed.handler.record.wait(timeout: 20) { $0.messages.count == messages.count })
        #expect(handed.handler.record.read { $0.messages } == messages)
        handed.running.server.send(text: "after", to: handed.id)
        #expect(Self.waitForHandover(handed, messages: messages.count + 1))
        #expect(handed.handler.record.read { $0.messages.last } == Array("after".utf8))
        handed.client.stop()
        #expect(handed.ending.wait(timeout: 5) == .stopped)
    }

    @Test(arguments: Transport.allCases)
    func afterTheHandoverPingsAreAnsweredBothWays(_ transport: Transport) throws {
        // Client pings every 50 ms, each due within 1 s: two seconds pass only if pongs are counted.
        let handed = try Self.handedOver(transport, pingInterval: .milliseconds(50))
        defer { handed.running.stop() }
        #expect(Self.waitForHandover(handed))
        // A ping from the server (lws answers nothing on our behalf now): the reader sends the pong.
        handed.running.server.sendUnframed(serverFrame(opcode: 0x9, final: true, payload: Array("hi".utf8)), to: handed.id)
        let ticks = handed.handler.record.read { $0.ticks }
        #expect(handed.handler.record.wait(timeout: 10) { $0.ticks >= ticks + 100 }, "ticks every 20 ms: 2 s")
        #expect(handed.ending.wait(timeout: 0) == nil)
        handed.running.server.send(text: "still here", to: handed.id)
        #expect(handed.handler.record.wait(timeout: 5) { $0.messages.last == Array("still here".utf8) })
        handed.client.stop()
        #expect(handed.ending.wait(timeout: 5) == .stopped)
    }

    @Test(arguments: Transport.allCases)
    func afterTheHandoverAPeerCloseReportsCodeAndReason(_ transport: Transport) throws {
        let handed = try Self.handedOver(transport)
        defer { handed.running.stop() }
        #expect(Self.waitForHandover(handed))
        handed.running.server.send(text: "last words", to: handed.id)
        handed.running.server.close(handed.id, code: 4001, reason: "maintenance")

        #expect(handed.ending.wait(timeout: 5) == .peerClosed(code: 4001, reason: "maintenance"))
        #expect(handed.handler.texts == ["hello", "last words"])
    }

    @Test(arguments: Transport.allCases)
    func afterTheHandoverAServerVanishingMidFrameIsAnAbnormalClose(_ transport: Transport) throws {
        let handed = try Self.handedOver(transport)
        defer { handed.running.stop() }
        #expect(Self.waitForHandover(handed))
        let partial = serverFrame(opcode: 0x1, final: true, payload: Array("{\"channel\":\"bo".utf8), declaredLength: 100)
        handed.running.server.sendUnframed(partial, to: handed.id)
        handed.running.server.drop(handed.id)

        let ending = handed.ending.wait(timeout: 5)
        guard case .abnormalClose(let detail)? = ending else {
            Issue.record("expected abnormalClose, got \(String(describing: ending))")
            return
        }
        #expect(detail.contains("middle of a message"))
        #expect(handed.handler.texts == ["hello"])
    }

    /// The records of one read are all decrypted, then their frames handed over in one pass (TLS
    /// and the handler taking turns per record evicted each other from the caches). Forty messages,
    /// one record each, wait in the socket while the handler is held up in an earlier message's
    /// callback; the next wake-up reads them together: one hand-over for them, not forty. (Paced by
    /// sleeping instead, a loaded machine stretched the sending past many client wake-ups.)
    @Test func recordsReadTogetherAreHandedOverTogether() throws {
        let handed = try Self.handedOver(.wss)
        defer { handed.running.stop() }
        #expect(Self.waitForHandover(handed))
        let release = DispatchSemaphore(value: 0)
        defer { release.signal() }
        let holding = Eventually<Bool>()
        handed.handler.onMessage = { count in
            guard count == 2 else { return }
            holding.fulfil(true)
            release.wait()
        }
        handed.running.server.sendUnframed(serverFrame(opcode: 0x1, final: true, payload: Array("m0".utf8)), to: handed.id)
        #expect(holding.wait(timeout: 30) == true, "the client is held up in m0's callback")
        let before = handed.client.directBatches
        for index in 1...40 {
            handed.running.server.sendUnframed(serverFrame(opcode: 0x1, final: true, payload: Array("m\(index)".utf8)), to: handed.id)
            // Written before the next one is queued, so each goes out as a record of its own.
            let deadline = Date(timeIntervalSinceNow: 30)
            while handed.running.server.queuedBytes(handed.id) != 0 && Date() < deadline { usleep(100) }
        }
        release.signal()
        #expect(handed.handler.record.wait(timeout: 30) { $0.messages.count == 42 })
        let batches = handed.client.directBatches - before
        // m0's own hand-over ends after the release, then one for the forty (a second if a read split them).
        #expect(batches <= 3, "\(batches) hand-overs for m0 and the 40 records read together")
        handed.client.stop()
        #expect(handed.ending.wait(timeout: 5) == .stopped)
    }

    /// The reader decrypts every record OpenSSL holds before handing their frames over: when the
    /// connection's end comes right behind them (read in the same wake-up), they are still all
    /// delivered, in order, before the ending.
    @Test(arguments: Transport.allCases)
    func messagesRightBeforeTheServerVanishesAreAllDelivered(_ transport: Transport) throws {
        // The pause after the first wake-up lets the rest and the end arrive together.
        let handed = try Self.handedOver(transport, coalescingDelay: .milliseconds(10))
        defer { handed.running.stop() }
        #expect(Self.waitForHandover(handed))
        let sent = (1...40).map { "message \($0)" }
        for text in sent {
            handed.running.server.sendUnframed(serverFrame(opcode: 0x1, final: true, payload: Array(text.utf8)), to: handed.id)
        }
        handed.running.server.drop(handed.id)

        #expect(handed.ending.wait(timeout: 5) == .abnormalClose("connection closed without a close frame"))
        #expect(handed.handler.texts == ["hello"] + sent)
    }

    @Test(arguments: Transport.allCases)
    func afterTheHandoverTheServerDroppingBetweenMessagesIsAnAbnormalClose(_ transport: Transport) throws {
        let handed = try Self.handedOver(transport)
        defer { handed.running.stop() }
        #expect(Self.waitForHandover(handed))
        handed.running.server.drop(handed.id)

        #expect(handed.ending.wait(timeout: 5) == .abnormalClose("connection closed without a close frame"))
    }

    @Test(arguments: Transport.allCases)
    func afterTheHandoverStopClosesWith1000(_ transport: Transport) throws {
        let handed = try Self.handedOver(transport)
        defer { handed.running.stop() }
        #expect(Self.waitForHandover(handed))
        handed.client.stop()

        #expect(handed.ending.wait(timeout: 5) == .stopped)
        #expect(handed.running.handler.record.wait(timeout: 5) { $0.closeCodes == [1000] })
    }

    @Test(arguments: Transport.allCases)
    func afterTheHandoverAnOversizedMessageEndsWith1009AndIsNotDelivered(_ transport: Transport) throws {
        let limit = 16 << 10
        let handed = try Self.handedOver(transport, maximumMessageBytes: limit)
        defer { handed.running.stop() }
        #expect(Self.waitForHandover(handed))
        let exact = [UInt8](repeating: UInt8(ascii: "e"), count: limit)
        let oversized = [UInt8](repeating: UInt8(ascii: "z"), count: limit + 1)
        handed.running.server.sendUnframed(
            serverFrame(opcode: 0x1, final: true, payload: exact) + serverFrame(opcode: 0x1, final: true, payload: oversized)
                + serverFrame(opcode: 0x1, final: true, payload: Array("after".utf8)), to: handed.id)

        #expect(handed.ending.wait(timeout: 10) == .messageTooBig(limit: limit))
        #expect(handed.handler.record.read { $0.messages } == [Array("hello".utf8), exact])
        #expect(handed.running.handler.record.wait(timeout: 5) { $0.closeCodes == [1009] })
    }

    @Test(arguments: Transport.allCases)
    func afterTheHandoverSendsFromAnotherThreadGoOutInOrder(_ transport: Transport) throws {
        let handed = try Self.handedOver(transport, coalescingDelay: .milliseconds(2))
        defer { handed.running.stop() }
        #expect(Self.waitForHandover(handed))
        let texts = (0..<50).map { "request \($0) " + String(repeating: "r", count: $0 * 7) }
        let sender = Thread { for text in texts { handed.client.send(text: text) } }
        sender.start()

        // The server echoes each one back.
        #expect(handed.running.handler.record.wait(timeout: 10) { $0.received == texts })
        #expect(handed.handler.record.wait(timeout: 10) { $0.messages.count == texts.count + 1 })
        #expect(handed.handler.texts == ["hello"] + texts)
        handed.client.stop()
        #expect(handed.ending.wait(timeout: 5) == .stopped)
    }

    @Test(arguments: Transport.allCases)
    func afterTheHandoverAFrameWithReservedBitsIsAProtocolError(_ transport: Transport) throws {
        let handed = try Self.handedOver(transport)
        defer { handed.running.stop() }
        #expect(Self.waitForHandover(handed))
        handed.running.server.sendUnframed([0xC1, 0x01, UInt8(ascii: "x")], to: handed.id)

        let ending = handed.ending.wait(timeout: 5)
        guard case .abnormalClose(let detail)? = ending else {
            Issue.record("expected abnormalClose, got \(String(describing: ending))")
            return
        }
        #expect(detail.contains("protocol error"))
        #expect(handed.handler.texts == ["hello"])
    }
}
