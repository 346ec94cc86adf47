import BytebitWebSocket
import Foundation
import Testing

/// The client reads ahead over TLS (one read takes every record the socket has) and may wait a
/// coalescing delay between wake-ups: neither may move a message boundary, lose a record OpenSSL
/// already holds, or weaken the size cap.
@Suite struct TLSRecordTests {
    static let certificates = Result { try TestCertificates() }

    static func textFrames(_ texts: [String]) -> [UInt8] {
        texts.flatMap { serverFrame(opcode: 0x1, final: true, payload: Array($0.utf8)) }
    }

    static func secureClient(
        _ running: RunningServer, maximumMessageBytes: Int = 16 << 20, coalescingDelay: Duration = .zero
    ) throws -> WebSocketClient {
        try makeClient(
            running.secureURL, caFile: try certificates.get().caFile, maximumMessageBytes: maximumMessageBytes,
            coalescingDelay: coalescingDelay)
    }

    @Test(arguments: [Duration.zero, .milliseconds(5)])
    func severalMessagesInOneRecordAreEachDelivered(coalescingDelay: Duration) throws {
        let texts = (0..<20).map { "message \($0)" }
        let running = try RunningServer(tls: try Self.certificates.get().localhost) { handler in
            handler.onOpen = { id in handler.server?.sendUnframed(Self.textFrames(texts), to: id) }
        }
        defer { running.stop() }
        let client = try Self.secureClient(running, coalescingDelay: coalescingDelay)
        let handler = RecordingClientHandler()
        let ending = runInBackground(client, handler: handler)

        #expect(handler.record.wait(timeout: 30) { $0.messages.count == texts.count })
        #expect(handler.texts == texts)
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }

    /// One record per message, all sent at once and nothing after: read-ahead takes them off the
    /// socket in one read, so every record after the first waits inside OpenSSL, where poll cannot
    /// see it. They must all arrive anyway.
    @Test(arguments: [Duration.zero, .milliseconds(5)])
    func aBurstOfRecordsIsDeliveredWithoutFurtherTraffic(coalescingDelay: Duration) throws {
        let texts = (0..<300).map { "record \($0) " + String(repeating: "x", count: $0 % 97) }
        let running = try RunningServer(tls: try Self.certificates.get().localhost) { handler in
            handler.onOpen = { id in
                for text in texts { _ = handler.server?.send(text: text, to: id) }
            }
        }
        defer { running.stop() }
        let client = try Self.secureClient(running, coalescingDelay: coalescingDelay)
        let handler = RecordingClientHandler()
        let ending = runInBackground(client, handler: handler)

        #expect(handler.record.wait(timeout: 30) { $0.messages.count == texts.count })
        #expect(handler.texts == texts)
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }

    /// A 40 KiB message crosses TLS records (at most 16 KiB each), and its frame header is cut from
    /// its body by a record boundary too.
    @Test func aMessageSplitAcrossRecordsIsReassembledWhole() throws {
        let large = (0..<(40 << 10)).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        let frame = serverFrame(opcode: 0x1, final: true, payload: large)
        let running = try RunningServer(tls: try Self.certificates.get().localhost) { handler in
            handler.onOpen = { id in
                handler.server?.sendUnframed(Array(frame[..<2]), to: id)
                handler.server?.sendUnframed(Array(frame[2...]) + Self.textFrames(["next"]), to: id)
            }
        }
        defer { running.stop() }
        let client = try Self.secureClient(running)
        let handler = RecordingClientHandler()
        let ending = runInBackground(client, handler: handler)

        #expect(handler.record.wait(timeout: 30) { $0.messages.count == 2 })
        #expect(handler.record.read { $0.messages.first } == large)
        #expect(handler.record.read { $0.messages.last } == Array("next".utf8))
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }

    /// Messages before an oversized one in the same records are delivered; the oversized one and
    /// everything after it are not.
    @Test func theSizeCapHoldsForAMessageAmongBufferedRecords() throws {
        let limit = 16 << 10
        let oversized = serverFrame(
            opcode: 0x1, final: true, payload: [UInt8](repeating: UInt8(ascii: "z"), count: 32 << 10))
        let running = try RunningServer(tls: try Self.certificates.get().localhost) { handler in
            handler.onOpen = { id in
                handler.server?.sendUnframed(
                    Self.textFrames(["one", "two", "three"]) + oversized + Self.textFrames(["after"]), to: id)
            }
        }
        defer { running.stop() }
        let client = try Self.secureClient(running, maximumMessageBytes: limit)
        let handler = RecordingClientHandler()

        let ending = runInBackground(client, handler: handler).wait(timeout: 30)

        #expect(ending == .messageTooBig(limit: limit))
        #expect(handler.texts == ["one", "two", "three"])
        #expect(running.handler.record.wait(timeout: 5) { $0.closeCodes == [1009] })
    }
}
