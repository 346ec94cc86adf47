import BytebitWebSocket
import Foundation
import Testing

/// `maximumMessageBytes` holds on every receive path: a message in one piece (handed over without a
/// copy) and one reassembled from continuation frames.
@Suite struct MessageLimitTests {
    static let limit = 16 << 10

    enum Framing: String, CaseIterable, Sendable {
        case oneFrame
        case continuationFrames
    }

    /// `bytes` as the server writes it: one frame, or four FIN=0 … FIN=1 fragments.
    static func frames(_ bytes: [UInt8], _ framing: Framing) -> [UInt8] {
        switch framing {
        case .oneFrame:
            return serverFrame(opcode: 0x1, final: true, payload: bytes)
        case .continuationFrames:
            let quarter = bytes.count / 4
            return (0..<4).flatMap { index in
                serverFrame(
                    opcode: index == 0 ? 0x1 : 0x0, final: index == 3,
                    payload: Array(bytes[(index * quarter)..<((index + 1) * quarter)]))
            }
        }
    }

    @Test(arguments: Framing.allCases)
    func aMessageOverTheLimitEndsTheRunWith1009AndIsNeverDelivered(_ framing: Framing) throws {
        let oversized = [UInt8](repeating: UInt8(ascii: "z"), count: 32 << 10)
        let running = try RunningServer { handler in
            handler.onOpen = { id in
                handler.server?.sendUnframed(
                    Self.frames(oversized, framing) + serverFrame(opcode: 0x1, final: true, payload: Array("after".utf8)),
                    to: id)
            }
        }
        defer { running.stop() }
        let client = try makeClient(running.url, maximumMessageBytes: Self.limit)
        let handler = RecordingClientHandler()

        let ending = runInBackground(client, handler: handler).wait(timeout: 10)

        #expect(ending == .messageTooBig(limit: Self.limit))
        #expect(handler.record.read { $0.messages.isEmpty }, "nothing is delivered once the limit is crossed")
        #expect(running.handler.record.wait(timeout: 5) { $0.closeCodes == [1009] })
    }

    @Test(arguments: Framing.allCases)
    func aMessageOfExactlyTheLimitIsDelivered(_ framing: Framing) throws {
        let largest = (0..<Self.limit).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        let running = try RunningServer { handler in
            handler.onOpen = { id in handler.server?.sendUnframed(Self.frames(largest, framing), to: id) }
        }
        defer { running.stop() }
        let client = try makeClient(running.url, maximumMessageBytes: Self.limit)
        let handler = RecordingClientHandler()
        let ending = runInBackground(client, handler: handler)

        #expect(handler.record.wait(timeout: 5) { $0.messages.count == 1 })
        #expect(handler.record.read { $0.messages.first } == largest)
        client.stop()
        #expect(ending.wait(timeout: 5) == .stopped)
    }
}
