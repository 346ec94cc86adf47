import BytebitWebSocket
import Foundation
import Testing

/// The server the live feed runs on, with a handler of its own: what `WebSocketHTTPHandler` decides
/// is what a client gets, before any WebSocket exists.
@Suite struct WebSocketHTTPHandlerTests {
    /// Answers every request with `answer` and records what it was asked and who opened.
    final class Answering: WebSocketHTTPHandler, @unchecked Sendable {
        let answer: WebSocketHTTPAnswer
        private let lock = NSLock()
        private var askedStore: [WebSocketHTTPRequest] = []
        private var peersStore: [String] = []

        init(_ answer: WebSocketHTTPAnswer) { self.answer = answer }

        func answer(_ request: WebSocketHTTPRequest) -> WebSocketHTTPAnswer {
            lock.withLock { askedStore.append(request) }
            return answer
        }

        func connectionDidOpen(_ id: WebSocketConnectionID, peer: String) { lock.withLock { peersStore.append(peer) } }

        var asked: [WebSocketHTTPRequest] { lock.withLock { askedStore } }
        var peers: [String] { lock.withLock { peersStore } }
    }

    static func serve(_ handler: Answering) throws -> WebSocketServer {
        let server = try WebSocketServer(configuration: .init(), handler: handler, logger: quietLogger)
        server.start()
        return server
    }

    @Test func anAcceptedUpgradeOpensWithThePeerAndAPlainGetLeftAloneIs404() throws {
        let handler = Answering(.upgrade)
        let server = try Self.serve(handler)
        defer { server.stop() }
        let upgrade = try RawHTTPClient(port: server.boundPort)
            .request(path: "/v1/stream?token=abc", headers: ["Authorization: Bearer xyz"])
        #expect(upgrade.hasPrefix("HTTP/1.1 101"))
        #expect(eventually { handler.peers == ["127.0.0.1"] })
        let plain = try RawHTTPClient(port: server.boundPort).request(path: "/page", upgrade: false)
        #expect(plain.hasPrefix("HTTP/1.1 404"))
        let asked = handler.asked
        #expect(asked.map(\.path) == ["/v1/stream", "/page"])
        #expect(asked.map(\.isUpgrade) == [true, false])
        #expect(asked.first?.tokenArgument == "abc")
        #expect(asked.first?.authorization == "Bearer xyz")
    }

    @Test func aRefusedUpgradeGetsTheHTTPAnswerAndNeverAWebSocket() throws {
        let handler = Answering(.response(status: 403, contentType: "text/plain", body: Array("go away\n".utf8)))
        let server = try Self.serve(handler)
        defer { server.stop() }
        let raw = try RawHTTPClient(port: server.boundPort)
        let head = try raw.request(path: "/v1/stream")
        #expect(head.hasPrefix("HTTP/1.1 403") || head.hasPrefix("HTTP/1.0 403"), "\(head)")
        #expect(!head.lowercased().contains("upgrade: websocket"))
        #expect(head.lowercased().contains("content-type: text/plain"))
        #expect(String(decoding: raw.readRest(), as: UTF8.self) == "go away\n")
        #expect(handler.peers.isEmpty)
    }
}
